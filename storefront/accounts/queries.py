"""Reads of the accounts area: which signed-in session a token opens, and the live sessions of an account."""
import hashlib
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..clock import utcnow
from ..extensions import db
from .models import UserSession

# Longer than any token the shop makes (secrets.token_urlsafe(32) is 43 characters).
MAX_TOKEN_LENGTH = 100


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def session_expires_at(record: UserSession) -> datetime:
    """A remembered session lasts as long as its remember cookie; another one ends after
    SESSION_IDLE_HOURS without a visit."""
    config = current_app.config
    if record.remember:
        return record.created_at + config["REMEMBER_COOKIE_DURATION"]
    return record.last_seen_at + timedelta(hours=config["SESSION_IDLE_HOURS"])


def live_session(token) -> UserSession | None:
    """The session `token` opens, with its account, while it is live; None for anything else."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    record = db.session.scalar(select(UserSession).where(UserSession.token_hash == token_hash(token))
                               .options(joinedload(UserSession.user)))
    if record is None or record.ended_at is not None or session_expires_at(record) <= utcnow():
        return None
    return record


def live_sessions_of(user_id: int) -> list[UserSession]:
    """The sessions of an account that still sign in, the most recently used first."""
    records = db.session.scalars(select(UserSession).where(UserSession.user_id == user_id,
                                                           UserSession.ended_at.is_(None))
                                 .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc()))
    now = utcnow()
    return [record for record in records if session_expires_at(record) > now]
