"""HTTP API for booking, moving and cancelling appointments."""

from datetime import datetime, timedelta, timezone

from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.db import get_session
from clinic.models import Appointment, Patient

from sqlalchemy import text


app = FastAPI(title="clinic")


class BookingIn(BaseModel):
    patient_id: int
    starts_at: datetime
    minutes: int = Field(default=20, ge=10, le=120)


class BookingOut(BaseModel):
    id: int
    patient_id: int
    starts_at: datetime
    minutes: int


def _overlaps(session: Session, starts_at: datetime, minutes: int) -> bool:
    ends_at = starts_at + timedelta(minutes=minutes)
    rows = session.scalars(
        select(Appointment).where(
            Appointment.cancelled.is_(False),
            Appointment.starts_at < ends_at,
            Appointment.starts_at >= starts_at - timedelta(hours=2),
        )
    )
    return any(a.starts_at + timedelta(minutes=a.minutes) > starts_at for a in rows)


@app.post("/appointments", status_code=201, response_model=BookingOut)
def book(body: BookingIn, session: Session = Depends(get_session)) -> Appointment:
    if body.starts_at <= datetime.now(timezone.utc):
        raise HTTPException(422, "appointments must be in the future")
    if session.get(Patient, body.patient_id) is None:
        raise HTTPException(404, f"no patient {body.patient_id}")
    if _overlaps(session, body.starts_at, body.minutes):
        raise HTTPException(409, "the slot is taken")
    appointment = Appointment(patient_id=body.patient_id, starts_at=body.starts_at, minutes=body.minutes)
    session.add(appointment)
    session.commit()
    return appointment


@app.delete("/appointments/{appointment_id}", status_code=204)
def cancel(appointment_id: int, session: Session = Depends(get_session)) -> None:
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.cancelled:
        raise HTTPException(404, "no such appointment")
    appointment.cancelled = True
    session.commit()



@app.get("/health")
def health() -> dict[str, str]:
    """Liveness probe: the process answers; deliberately touches nothing else."""
    return {"status": "ok"}


@app.get("/ready")
def ready(session: Session = Depends(get_session)) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ready"}

