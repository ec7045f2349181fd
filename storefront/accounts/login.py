"""Signing in and out on the web, wired to flask-login: every request's account comes from a live
server-side session (UserSession), whose token is what the session cookie and the remember cookie hold."""
import secrets
from datetime import timedelta

from flask import after_this_request, current_app, g, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import update

from ..clock import utcnow
from ..extensions import db, login_manager
from .guessing import account_id
from .models import User, UserSession
from .operations import KnownDevice, end_all_sessions, end_session, note_new_device, start_session
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
    return user


def _load_user_before_the_view():
    """Load the visitor's account before the view runs, for a visitor who may be signed in, and keep the
    session's last_seen_at roughly current."""
    if request.endpoint == "static":
        return
    if "_user_id" in session or _remember_cookie_name() in request.cookies:
        if current_user.is_authenticated and g.get("user_session") is not None:
            _note_seen(g.user_session)


def _note_seen(record: UserSession) -> None:
    """At most one write every SESSION_TOUCH_SECONDS, not one per request; committed at once, before the
    view has staged anything, so the row is never held locked while a request runs (a sign-out of the same
    session never waits for it) and no request needs a second connection."""
    now = utcnow()
    stale_before = now - timedelta(seconds=current_app.config["SESSION_TOUCH_SECONDS"])
    if record.last_seen_at > stale_before:
        return
    db.session.execute(update(UserSession).where(UserSession.id == record.id, UserSession.ended_at.is_(None),
                                                 UserSession.last_seen_at <= stale_before)
                       .values(last_seen_at=now))
    db.session.commit()


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
    device = known_device()
    if device is None or account_id(user.email) not in device.accounts:
        note_new_device(user, request.user_agent.string)
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


# --- known devices: a signed cookie naming the accounts signed in on this browser before ---

DEVICE_COOKIE = "ocop_device"
DEVICE_SALT = "known-device"
DEVICE_COOKIE_DAYS = 365
ACCOUNTS_PER_DEVICE = 10


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=DEVICE_SALT)


def known_device() -> KnownDevice | None:
    """This browser's device cookie, when it holds a valid signature (anything else is no device)."""
    raw = request.cookies.get(DEVICE_COOKIE, "")
    if not raw or len(raw) > 1000:
        return None
    try:
        data = _device_serializer().loads(raw)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), str) or not isinstance(data.get("u"), list):
        return None
    accounts = [account for account in data["u"] if isinstance(account, str)]
    return KnownDevice(data["d"][:40], tuple(accounts[-ACCOUNTS_PER_DEVICE:]))


def remember_device(user: User) -> None:
    """Add `user` to this browser's device cookie (made now if it has none): its next sign-ins here keep a
    guessing budget of their own."""
    device = known_device() or KnownDevice(secrets.token_urlsafe(16), ())
    account = account_id(user.email)
    accounts = [known for known in device.accounts if known != account] + [account]
    value = _device_serializer().dumps({"d": device.id, "u": accounts[-ACCOUNTS_PER_DEVICE:]})

    @after_this_request
    def set_device_cookie(response):
        response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_COOKIE_DAYS * 24 * 3600, httponly=True,
                            samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
        return response
