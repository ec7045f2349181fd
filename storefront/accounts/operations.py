import hashlib
import hmac
import re
import secrets
from datetime import timezone

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select, update

from ..audit.operations import record
from ..catalog.models import Producer
from ..clock import utcnow
from ..errors import DomainError, FieldError
from ..extensions import db
from ..notifications.operations import queue_message
from .models import Role, User, UserSession
from .queries import token_hash

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, or None (never saying which one was wrong)."""
    user = find_user(email)
    if user is None:
        # Hash anyway, so a wrong address takes as long to refuse as a wrong password.
        User(password_hash="").set_password(password)
        return None
    return user if user.active and user.check_password(password) else None


def create_user(email: str, password: str, role: Role, producer_slug: str | None = None,
                name: str = "") -> User:
    email = email.strip().lower()
    if not EMAIL_PATTERN.match(email):
        raise DomainError(f"{email!r} is not an email address.")
    if find_user(email) is not None:
        raise DomainError(f"An account for {email} already exists.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    producer = None
    if role == Role.PRODUCER:
        if not producer_slug:
            raise DomainError("A producer account needs --producer SLUG.")
        producer = db.session.scalar(select(Producer).where(Producer.slug == producer_slug))
        if producer is None:
            raise DomainError(f"No producer has the slug {producer_slug!r}.")
    elif producer_slug:
        raise DomainError("Only a producer account is tied to a producer.")
    user = User(email=email, name=name, role=role, producer=producer)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()  # the id, for signing the new account in
    return user


# --- signed-in sessions ---

def start_session(user: User, remember: bool = False, user_agent: str = "", address: str = "") -> str:
    """Open a signed-in session for `user`; returns its secret token (only its hash is stored), which
    `user.get_id()` gives flask-login from now on."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(token_hash=token_hash(token), user=user, remember=remember,
                               user_agent=(user_agent or "")[:300], address=(address or "")[:64]))
    user.session_token = token
    return token


def end_session(token: str) -> None:
    """End the session `token` opens: from now on neither its cookie nor its remember cookie signs in."""
    if isinstance(token, str) and token:
        db.session.execute(update(UserSession)
                           .where(UserSession.token_hash == token_hash(token), UserSession.ended_at.is_(None))
                           .values(ended_at=utcnow()))


def end_all_sessions(user: User, except_current: bool = False) -> None:
    """End every session of `user`; with except_current, all but the one `user` was loaded for."""
    statement = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if except_current and user.session_token:
        statement = statement.where(UserSession.token_hash != token_hash(user.session_token))
    db.session.execute(statement.values(ended_at=utcnow()))


# --- producer accounts invited by the OCOP office ---

INVITE_SALT = "producer-invite"


class InviteInvalid(DomainError):
    """An invitation link that is tampered with, already used, expired, or for a closed account."""


class _ClockSigner(TimestampSigner):
    """Timestamps from the shop's clock (storefront.clock), like every other time the shop keeps."""

    def get_timestamp(self) -> int:
        return int(utcnow().replace(tzinfo=timezone.utc).timestamp())


def _invite_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITE_SALT, signer=_ClockSigner)


def _password_fingerprint(user: User) -> str:
    """Changes whenever the password does: a link that embeds it dies once the password is chosen."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:24]


def invite_token(user: User) -> str:
    return _invite_serializer().dumps({"user": user.id, "password": _password_fingerprint(user)})


def user_for_invite(token: str) -> User:
    """The account an invitation link is for; InviteInvalid when it cannot be used (any more)."""
    max_age = current_app.config["INVITE_MAX_AGE_HOURS"] * 3600
    try:
        data = _invite_serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise InviteInvalid(_("This link has expired. Ask the OCOP office to send you a new one.")) from None
    except BadSignature:
        raise InviteInvalid(_("This link is not valid. Check that you copied all of it, "
                              "or ask the OCOP office for a new one.")) from None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) and isinstance(data.get("user"), int) \
        else None
    if user is None or not user.active \
            or not hmac.compare_digest(str(data.get("password", "")), _password_fingerprint(user)):
        raise InviteInvalid(_("This link was already used, or a newer one replaced it. "
                              "Sign in with your password, or ask the OCOP office for a new link."))
    return user


def _reset_to_unusable_password(user: User) -> None:
    # Nobody knows this password: the account opens only through the link, and a new link voids the old.
    user.set_password(secrets.token_urlsafe(32))


def _send_invite(user: User, link_for) -> None:
    link = link_for(invite_token(user))
    hours = current_app.config["INVITE_MAX_AGE_HOURS"]
    producer = user.producer.name if user.producer else ""
    queue_message(
        "invite", user.email, _("Your OCOP Quảng Ngãi producer account"),
        _("Hello %(name)s,\n\nThe OCOP office of Quảng Ngãi opened an account for you to keep the listings of "
          "%(producer)s up to date.\n\nChoose your password with this link, within %(hours)s hours "
          "(it works once):\n%(link)s\n\nIf you did not expect this message, you can ignore it.",
          name=user.name or user.email, producer=producer, hours=hours, link=link))


def invite_producer_user(email: str, producer: Producer, name: str, link_for) -> User:
    """Open a producer account and send its owner a one-time link to choose a password.

    `link_for(token)` makes the link's absolute URL (the caller knows the site's address)."""
    email = (email or "").strip().lower()
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        raise FieldError("email", _("Enter an email address like name@example.com."))
    if find_user(email) is not None:
        raise FieldError("email", _("An account with this email already exists."))
    if producer is None:
        raise FieldError("producer_id", _("Choose the producer the account acts for."))
    user = User(email=email, name=(name or "").strip()[:200], role=Role.PRODUCER, producer=producer)
    _reset_to_unusable_password(user)
    record("user.invite", user)
    _send_invite(user, link_for)
    return user


def resend_invite(user: User, link_for) -> User:
    """A new link for an account whose owner lost theirs or let it expire; earlier links stop working."""
    if user.role != Role.PRODUCER:
        raise DomainError(_("Only producer accounts are invited."))
    if not user.active:
        raise DomainError(_("This account is closed. Open it again first."))
    _reset_to_unusable_password(user)
    record("user.reinvite", user, changes={"password": ["…", "reset"]})
    _send_invite(user, link_for)
    return user


def accept_invite(token: str, password: str) -> User:
    user = user_for_invite(token)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise FieldError("password", _("The password must have at least %(count)s characters.",
                                       count=MIN_PASSWORD_LENGTH))
    user.set_password(password)
    end_all_sessions(user)  # whoever held a session of the account before its password changed
    record("user.accept_invite", user, changes={"password": ["…", "chosen"]}, actor=user)
    return user


def set_user_active(user: User, active: bool) -> User:
    user.active = active
    if not active:
        end_all_sessions(user)
    record("user.reopen" if active else "user.close", user)
    return user


def invite_max_age_hours() -> int:
    return current_app.config["INVITE_MAX_AGE_HOURS"]
