"""Signing in and out on the web, wired to flask-login: every request's account comes from a live
server-side session (UserSession), whose token is what the session cookie and the remember cookie hold."""
from datetime import timedelta

from flask import current_app, g, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import update

from ..clock import utcnow
from ..extensions import db, login_manager
from .models import User, UserSession
from .operations import end_all_sessions, end_session, start_session
from .queries import live_session


def init_app(app) -> None:
    app.config.setdefault("REMEMBER_COOKIE_DURATION", timedelta(days=30))
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    # A session not kept with "Keep me signed in" ends after this long without a visit.
    app.config.setdefault("SESSION_IDLE_HOURS", 24)
    # How stale a session's last_seen_at may get before a request writes it again.
    app.config.setdefault("SESSION_TOUCH_SECONDS", 300)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "error"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    app.before_request(_load_user_before_the_view)


def load_user(token: str) -> User | None:
    """The account of the live session `token` opens; None once that session ended or expired, or the
    account was closed (a closed account is signed out at once)."""
    record = live_session(token)
    if record is None or not record.user.active:
        return None
    user = record.user
    user.session_token = token
    g.user_session = record
    _note_seen(record)
    return user


def _note_seen(record: UserSession) -> None:
    """Keep last_seen_at roughly current without a write per request: at most one every
    SESSION_TOUCH_SECONDS, in its own short transaction (never a live one's: the request's is untouched)."""
    now = utcnow()
    stale_before = now - timedelta(seconds=current_app.config["SESSION_TOUCH_SECONDS"])
    if record.last_seen_at > stale_before:
        return
    table = UserSession.__table__
    with db.engine.begin() as connection:
        connection.execute(update(table).where(table.c.id == record.id, table.c.ended_at.is_(None),
                                               table.c.last_seen_at <= stale_before)
                           .values(last_seen_at=now))


def _load_user_before_the_view():
    # Loaded before the view has staged anything, so the last-seen write above never waits on a lock this
    # request holds; and only for a visitor who may be signed in.
    if request.endpoint == "static":
        return
    if "_user_id" in session or _remember_cookie_name() in request.cookies:
        current_user._get_current_object()


def _remember_cookie_name() -> str:
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")


def sign_in_user(user: User, remember: bool = False) -> None:
    """Sign `user` in on this browser with a new server-side session. Whatever session the browser held
    before ends, and the form token changes: a session planted before sign-in is worth nothing after."""
    previous = session.get("_user_id")
    if previous:
        end_session(previous)
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)
    start_session(user, remember=remember, user_agent=request.user_agent.string,
                  address=request.remote_addr or "")
    if not remember and _remember_cookie_name() in request.cookies:
        session["_remember"] = "clear"
    login_user(user, remember=remember)


def sign_out_user() -> None:
    """End this browser's session on the server, then forget it in the browser (cookie and remember cookie)."""
    token = current_user.session_token if current_user.is_authenticated else session.get("_user_id")
    if token:
        end_session(token)
    logout_user()


def sign_out_everywhere() -> None:
    """End every session of the signed-in account, this one included."""
    end_all_sessions(current_user._get_current_object())
    logout_user()
