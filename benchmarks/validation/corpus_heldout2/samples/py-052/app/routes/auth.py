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


@bp.post("/password")
def change_password():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    try:
        payload = _serializer().loads(token, max_age=current_app.config["SESSION_MAX_AGE"])
    except BadSignature:
        return _json_error("invalid session", 401)
    user = db.session.get(User, payload["uid"])
    data = request.get_json(silent=True) or {}
    if user is None:
        return _json_error("user no longer exists", 401)
    try:
        hasher.verify(user.password_hash, str(data.get("current", "")))
    except VerificationError:
        return _json_error("current password is wrong", 403)
    new = str(data.get("new", ""))
    if len(new) < 10:
        return _json_error("the new password needs 10+ characters", 400)
    user.password_hash = hasher.hash(new)
    db.session.commit()
    return jsonify({"changed": True})


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


@bp.post("/reset/request")
@limit("3/hour")
def request_reset():
    data = request.get_json(silent=True) or {}
    user = User.query.filter_by(email=str(data.get("email", "")).strip().lower()).first()
    # Same answer whether or not the address exists, so the endpoint cannot be
    # used to find out who has an account.
    if user is not None and user.active:
        token = _reset_serializer().dumps({"uid": user.id, "h": user.password_hash[-8:]})
        current_app.logger.info("reset link for user %s: /reset?token=%s", user.id, token)
    return jsonify({"sent": True}), 202


@bp.post("/reset/confirm")
def confirm_reset():
    data = request.get_json(silent=True) or {}
    try:
        payload = _reset_serializer().loads(str(data.get("token", "")), max_age=3600)
    except SignatureExpired:
        return _json_error("reset link expired", 400)
    except BadSignature:
        return _json_error("invalid reset link", 400)
    user = db.session.get(User, payload["uid"])
    if user is None or user.password_hash[-8:] != payload["h"]:
        return _json_error("reset link already used", 400)
    new = str(data.get("password", ""))
    if len(new) < 10:
        return _json_error("the new password needs 10+ characters", 400)
    user.password_hash = hasher.hash(new)
    db.session.commit()
    return jsonify({"reset": True})
