"""Signing in and out on the web, wired to flask-login: every request's account comes from a live
server-side session (UserSession), whose token is what the session cookie and the remember cookie hold."""
import hmac
import secrets
from datetime import timedelta

from flask import after_this_request, current_app, flash, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update

from ..clock import utcnow
from ..extensions import db, login_manager
from .guessing import account_id
from .models import SecondFactor, User, UserSession
from .operations import (KnownDevice, _password_fingerprint, _serializer, end_all_sessions, end_session,
                         note_new_device, start_session)
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
    app.before_request(_office_enrols_first)


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


# What an account that must have a second factor may open while it has none (a session from before the
# factor was required): the enrolment page, signing out, and the error pages' files.
ENROLMENT_ENDPOINTS = {"accounts.second_factor_setup", "accounts.sign_out", "static"}


def _office_enrols_first():
    # Only a visitor who may be signed in is looked at: loading the user marks any session as not fresh,
    # and a session with more than a form token never gets the shared page cache.
    if request.endpoint in ENROLMENT_ENDPOINTS \
            or ("_user_id" not in session and _remember_cookie_name() not in request.cookies):
        return None
    if not current_user.is_authenticated or not current_user.needs_second_factor:
        return None
    if db.session.scalar(select(func.count(SecondFactor.id)).where(SecondFactor.user_id == current_user.id)):
        return None
    flash(_l("Set up your second factor before anything else."), "error")
    return redirect(url_for("accounts.second_factor_setup"))


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
    passed = [account for account in data.get("f", []) if isinstance(account, str)] \
        if isinstance(data.get("f"), list) else []
    return KnownDevice(data["d"][:40], tuple(accounts[-ACCOUNTS_PER_DEVICE:]), tuple(passed[-ACCOUNTS_PER_DEVICE:]))


def remember_device(user: User, passed_second_factor: bool = False) -> None:
    """Add `user` to this browser's device cookie (made now if it has none): its next sign-ins here keep a
    guessing budget of their own; with passed_second_factor, its next code attempts here too."""
    device = known_device() or KnownDevice(secrets.token_urlsafe(16), ())
    account = account_id(user.email)
    accounts = [known for known in device.accounts if known != account] + [account]
    passed = [known for known in device.second_factor_accounts if known != account]
    if passed_second_factor or account in device.second_factor_accounts:
        passed.append(account)
    value = _device_serializer().dumps({"d": device.id, "u": accounts[-ACCOUNTS_PER_DEVICE:],
                                        "f": passed[-ACCOUNTS_PER_DEVICE:]})

    @after_this_request
    def set_device_cookie(response):
        response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_COOKIE_DAYS * 24 * 3600, httponly=True,
                            samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
        return response


# --- between the password and the second factor: a signed, short-lived marker in the session ---

PENDING_KEY = "second_factor_pending"
PENDING_SALT = "second-factor-pending"
PENDING_MAX_AGE_SECONDS = 600
ENROLMENT_KEY = "second_factor_enrolment"
ENROLMENT_SALT = "second-factor-enrolment"
ENROLMENT_MAX_AGE_SECONDS = 1800


def start_pending_sign_in(user: User, remember: bool, next_path: str) -> None:
    """The password was right and a second factor is still due: nobody is signed in yet, the session only
    remembers for PENDING_MAX_AGE_SECONDS who passed the password (and which password: a change voids it)."""
    previous = session.get("_user_id")
    if previous:
        end_session(previous)
        logout_user()
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)
    session.pop(ENROLMENT_KEY, None)
    session[PENDING_KEY] = _serializer(PENDING_SALT).dumps(
        {"user": user.id, "account": account_id(user.email), "password": _password_fingerprint(user),
         "remember": bool(remember), "next": next_path})


def pending_marker() -> dict | None:
    """The marker's contents when it is there, signed by the shop and younger than its time; else None.
    Reads no database: the code page counts an attempt before its first query."""
    raw = session.get(PENDING_KEY)
    if not isinstance(raw, str) or len(raw) > 2000:
        return None
    try:
        data = _serializer(PENDING_SALT).loads(raw, max_age=PENDING_MAX_AGE_SECONDS)
    except BadSignature:  # SignatureExpired included
        return None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        return None
    return data


def pending_user(marker: dict | None) -> User | None:
    """The account the marker is for, while it is open and its password is the one that was typed."""
    if marker is None:
        return None
    user = db.session.get(User, marker["user"])
    if user is None or not user.active \
            or not isinstance(marker.get("password"), str) \
            or not hmac.compare_digest(marker["password"], _password_fingerprint(user)):
        return None
    return user


def code_attempt_device(marker: dict) -> str | None:
    """This browser's device id when the marker's account passed its second factor on it before."""
    device = known_device()
    if device is not None and marker.get("account") in device.second_factor_accounts:
        return device.id
    return None


def end_pending_sign_in() -> None:
    session.pop(PENDING_KEY, None)
    session.pop(ENROLMENT_KEY, None)


def enrolment_secret(user: User, make_new) -> str:
    """The secret being set up for `user` on this browser, kept signed in the session (never in the
    database) until a first right code confirms it; made with `make_new()` when there is none."""
    raw = session.get(ENROLMENT_KEY)
    if isinstance(raw, str) and len(raw) < 1000:
        try:
            data = _serializer(ENROLMENT_SALT).loads(raw, max_age=ENROLMENT_MAX_AGE_SECONDS)
        except BadSignature:
            data = None
        if isinstance(data, dict) and data.get("user") == user.id and isinstance(data.get("secret"), str):
            return data["secret"]
    secret = make_new()
    session[ENROLMENT_KEY] = _serializer(ENROLMENT_SALT).dumps({"user": user.id, "secret": secret})
    return secret


def forget_enrolment_secret() -> None:
    session.pop(ENROLMENT_KEY, None)
