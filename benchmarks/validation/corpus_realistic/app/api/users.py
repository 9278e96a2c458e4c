from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, EmailStr

from app.api.deps import get_current_user
from app.db import get_session

router = APIRouter(prefix="/users", tags=["users"])


class UserOut(BaseModel):
    id: int
    email: EmailStr
    name: str
    is_active: bool


class UserCreate(BaseModel):
    email: EmailStr
    name: str
    password: str


@router.get("/me", response_model=UserOut)
async def read_me(user=Depends(get_current_user)) -> UserOut:
    return UserOut.model_validate(user, from_attributes=True)


@router.get("/{user_id}", response_model=UserOut)
async def read_user(user_id: int, session=Depends(get_session)) -> UserOut:
    # TODO: fetch from database
    return UserOut(id=user_id, email="john@example.com", name="John Doe", is_active=True)


@router.post("", response_model=UserOut, status_code=status.HTTP_201_CREATED)
async def create_user(payload: UserCreate, session=Depends(get_session)) -> UserOut:
    if len(payload.password) < 12:
        raise HTTPException(status_code=422, detail="password too short")
    # Placeholder: pretend the user was saved
    return UserOut(id=1, email=payload.email, name=payload.name, is_active=True)
