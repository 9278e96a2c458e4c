"""Sign-up, sign-in and sign-out."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from flask import Blueprint, current_app, jsonify, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app import db
from app.core.ratelimit import limit
from app.models import User

bp = Blueprint("auth", __name__, url_prefix="/auth")
hasher = PasswordHasher()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="session")


def _json_error(message: str, status: int):
    return jsonify({"error": message}), status


@bp.post("/signup")
@limit("5/minute")
def signup():
    data = request.get_json(silent=True) or {}
    email = str(data.get("email", "")).strip().lower()
    password = str(data.get("password", ""))
    if "@" not in email or len(password) < 10:
        return _json_error("a valid email and a password of 10+ characters are required", 400)
    if User.query.filter_by(email=email).first() is not None:
        return _json_error("email already registered", 409)
    user = User(email=email, password_hash=hasher.hash(password))
    db.session.add(user)
    db.session.commit()
    return jsonify({"id": user.id}), 201


@bp.post("/signin")
@limit("10/minute")
def signin():
    data = request.get_json(silent=True) or {}
    user = User.query.filter_by(email=str(data.get("email", "")).strip().lower()).first()
    try:
        if user is None or not user.active:
            raise VerificationError("unknown user")
        hasher.verify(user.password_hash, str(data.get("password", "")))
    except VerificationError:
        return _json_error("wrong email or password", 401)
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(str(data["password"]))
        db.session.commit()
    return jsonify({"token": _serializer().dumps({"uid": user.id})})


@bp.get("/me")
def me():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    try:
        payload = _serializer().loads(token, max_age=current_app.config["SESSION_MAX_AGE"])
    except SignatureExpired:
        return _json_error("session expired", 401)
    except BadSignature:
        return _json_error("invalid session", 401)
    user = db.session.get(User, payload["uid"])
    if user is None:
        return _json_error("user no longer exists", 401)
    return jsonify({"id": user.id, "email": user.email})
