import hashlib
import hmac
import re
import secrets
from datetime import timezone
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select, update

from .. import ratelimit
from ..audit.operations import record
from ..catalog.models import Producer
from ..clock import utcnow
from ..errors import DomainError, FieldError
from ..extensions import db
from ..notifications.operations import queue_message
from . import guessing
from .models import Role, User, UserSession
from .passwords import check_password_strength
from .queries import token_hash

# Letters and digits of any script and the usual signs; no space, control, invisible or emoji character.
EMAIL_PATTERN = re.compile(r"^[\w.!#$%&'*+/=?^`{|}~-]{1,64}@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}\Z")
# Messages about an account (confirmation, "you already have one", reset) sent to one address per hour: a
# form filled in again and again must not flood someone's mailbox.
ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR = 3
CONFIRM_MAX_AGE_HOURS = 72
RESET_MAX_AGE_HOURS = 2


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


class KnownDevice(NamedTuple):
    """A browser that was signed in before (its signed cookie): its id, and the accounts signed in on it
    (as guessing.account_id of their addresses)."""
    id: str
    accounts: tuple[str, ...]


class SignInRefused(DomainError):
    """Too many attempts: `wait_seconds` before the next one may be made."""

    def __init__(self, wait_seconds: int):
        super().__init__(_("Too many sign-in attempts."))
        self.wait_seconds = wait_seconds


def attempt_sign_in(email: str, password: str, device: KnownDevice | None, address: str) -> User | None:
    """The account this email and password open, counted against the guessing limits (see guessing.py);
    None for a wrong pair, SignInRefused while the limits hold.

    `device`: this browser's signed device cookie. When the account was signed in on it before, the attempt
    spends the device's own budget, and neither the account's budget for unknown devices nor the address's,
    which an attacker elsewhere may have spent."""
    email = email.strip().lower()
    # The limits come before any query of the request's own: each count takes a connection of its own, and
    # a request must never hold one while it waits for another.
    if device is not None and guessing.account_id(email) in device.accounts:
        key = guessing.device_key(device.id, email)
    else:
        config = current_app.config
        window = config["SIGN_IN_WINDOW_SECONDS"]
        if not ratelimit.hit("sign-in-address", address or "-", config["SIGN_IN_LIMIT_PER_ADDRESS"], window):
            raise SignInRefused(window)
        key = guessing.account_key(email)
    wait = guessing.take_attempt(key)
    if wait:
        raise SignInRefused(wait)
    user = authenticate(email, password)
    if user is not None:
        guessing.forgive(key)
    return user


def create_user(email: str, password: str, role: Role, producer_slug: str | None = None,
                name: str = "") -> User:
    email = email.strip().lower()
    if not EMAIL_PATTERN.match(email):
        raise DomainError(f"{email!r} is not an email address.")
    if find_user(email) is not None:
        raise DomainError(f"An account for {email} already exists.")
    check_password_strength(password, email, name)
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
CONFIRM_SALT = "confirm-email"
RESET_SALT = "password-reset"


class InviteInvalid(DomainError):
    """A link (invitation, confirmation, password reset) that is tampered with, already used, expired, or
    for a closed account."""


class _ClockSigner(TimestampSigner):
    """Timestamps from the shop's clock (storefront.clock), like every other time the shop keeps."""

    def get_timestamp(self) -> int:
        return int(utcnow().replace(tzinfo=timezone.utc).timestamp())


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt, signer=_ClockSigner)


def _invite_serializer() -> URLSafeTimedSerializer:
    return _serializer(INVITE_SALT)


def _password_fingerprint(user: User) -> str:
    """Changes whenever the password does: a link that embeds it dies once the password is chosen."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:24]


def _link_token(user: User, salt: str) -> str:
    return _serializer(salt).dumps({"user": user.id, "password": _password_fingerprint(user)})


def _user_for_link(token: str, salt: str, max_age_hours: int, expired: str, broken: str, used: str) -> User:
    try:
        data = _serializer(salt).loads(token, max_age=max_age_hours * 3600)
    except SignatureExpired:
        raise InviteInvalid(expired) from None
    except BadSignature:
        raise InviteInvalid(broken) from None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) and isinstance(data.get("user"), int) \
        else None
    if user is None or not user.active \
            or not hmac.compare_digest(str(data.get("password", "")), _password_fingerprint(user)):
        raise InviteInvalid(used)
    return user


def invite_token(user: User) -> str:
    return _link_token(user, INVITE_SALT)


def user_for_invite(token: str) -> User:
    """The account an invitation link is for; InviteInvalid when it cannot be used (any more)."""
    return _user_for_link(
        token, INVITE_SALT, current_app.config["INVITE_MAX_AGE_HOURS"],
        expired=_("This link has expired. Ask the OCOP office to send you a new one."),
        broken=_("This link is not valid. Check that you copied all of it, or ask the OCOP office for a new one."),
        used=_("This link was already used, or a newer one replaced it. "
               "Sign in with your password, or ask the OCOP office for a new link."))


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
    end_all_sessions(user)
    record("user.reinvite", user, changes={"password": ["…", "reset"]})
    _send_invite(user, link_for)
    return user


def change_password(user: User, password: str) -> User:
    """Give `user` a new password (strong enough, see passwords.py); every session opened with the old one
    ends: the caller signs the person who chose it in afresh."""
    check_password_strength(password, user.email, user.name)
    user.set_password(password)
    end_all_sessions(user)
    return user


def accept_invite(token: str, password: str) -> User:
    user = change_password(user_for_invite(token), password)
    record("user.accept_invite", user, changes={"password": ["…", "chosen"]}, actor=user)
    return user


def set_user_active(user: User, active: bool) -> User:
    user.active = active
    record("user.reopen" if active else "user.close", user)  # before anything flushes the change
    if not active:
        end_all_sessions(user)
    return user


def invite_max_age_hours() -> int:
    return current_app.config["INVITE_MAX_AGE_HOURS"]


# --- shoppers' own accounts: registration confirmed by e-mail, and password resets ---
# Neither ever tells the visitor whether an address has an account: the page is the same, and what
# differs is only the e-mail that the address's owner receives.

def _may_mail(email: str) -> bool:
    return ratelimit.hit("account-mail", email, ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR, 3600)


def _send_confirmation(user: User, links) -> None:
    queue_message(
        "register-confirm", user.email, _("Confirm your OCOP Quảng Ngãi account"),
        _("Hello %(name)s,\n\nTo finish creating your account at OCOP Quảng Ngãi, open this link within "
          "%(hours)s hours:\n%(link)s\n\nIf you did not create an account, ignore this message: without the "
          "link, no account is opened.",
          name=user.name or user.email, hours=CONFIRM_MAX_AGE_HOURS, link=links["confirm"](
              _link_token(user, CONFIRM_SALT))))


def _send_reset(user: User, links, already_registered: bool) -> None:
    reset = links["reset"](_link_token(user, RESET_SALT))
    if already_registered:
        queue_message(
            "register-existing", user.email, _("You already have an OCOP Quảng Ngãi account"),
            _("Hello %(name)s,\n\nSomeone, probably you, tried to create an account at OCOP Quảng Ngãi with this "
              "email address, but you already have one.\n\nSign in here:\n%(sign_in)s\n\nIf you forgot your "
              "password, choose a new one with this link, within %(hours)s hours (it works once):\n%(link)s\n\n"
              "If it was not you, you can ignore this message: your account has not changed.",
              name=user.name or user.email, sign_in=links["sign_in"](), hours=RESET_MAX_AGE_HOURS, link=reset))
    else:
        queue_message(
            "password-reset", user.email, _("Choose a new password for OCOP Quảng Ngãi"),
            _("Hello %(name)s,\n\nSomeone, probably you, asked to choose a new password for your account at OCOP "
              "Quảng Ngãi.\n\nChoose it with this link, within %(hours)s hours (it works once):\n%(link)s\n\n"
              "If it was not you, ignore this message: your password has not changed.",
              name=user.name or user.email, hours=RESET_MAX_AGE_HOURS, link=reset))


def register_customer(email: str, password: str, name: str, links) -> None:
    """Register a shopper, who confirms the address by the link e-mailed to it before signing in; or, when
    the address already has an account, e-mail its owner a way to sign in or choose a new password. The
    caller answers the same in both cases.

    `links`: {"confirm": token → URL, "reset": token → URL, "sign_in": () → URL}, absolute addresses."""
    email = (email or "").strip().lower()
    name = (name or "").strip()
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        raise FieldError("email", _("Enter an email address like name@example.com."))
    if not name or len(name) > 200:
        raise FieldError("name", _("Enter your name."))
    check_password_strength(password, email, name)
    user = find_user(email)
    if user is not None and user.email_confirmed_at is not None:
        User(password_hash="").set_password(password)  # as long to answer as a new registration
        if user.active and _may_mail(email):
            _send_reset(user, links, already_registered=True)
        return
    if user is None:
        user = User(email=email, role=Role.CUSTOMER, email_confirmed_at=None)
        db.session.add(user)
    # An unconfirmed account belongs to nobody yet: the latest registration replaces its name and password,
    # and the links sent before stop working (someone else may have typed this address first).
    user.name = name
    user.set_password(password)
    db.session.flush()
    if _may_mail(email):
        _send_confirmation(user, links)


def user_for_confirmation(token: str) -> User:
    """The account a confirmation link is for, while it still waits for confirmation."""
    user = _user_for_link(
        token, CONFIRM_SALT, CONFIRM_MAX_AGE_HOURS,
        expired=_("This link has expired. Register again with the same email address to get a new one."),
        broken=_("This link is not valid. Check that you copied all of it."),
        used=_("This link was replaced by a newer one. Use the link in the latest message we sent you."))
    if user.email_confirmed_at is not None:
        raise InviteInvalid(_("This account is already confirmed. Sign in with your email and password."))
    return user


def confirm_email(token: str) -> User:
    user = user_for_confirmation(token)
    user.email_confirmed_at = utcnow()
    return user


def resend_confirmation(user: User, links) -> None:
    """A new confirmation link for an account whose owner signs in before confirming it."""
    if user.email_confirmed_at is None and _may_mail(user.email):
        _send_confirmation(user, links)


def request_password_reset(email: str, links) -> None:
    """E-mail a link to choose a new password to the account with this address, if there is one; the
    caller answers the same whether there is or not."""
    email = (email or "").strip().lower()
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        raise FieldError("email", _("Enter an email address like name@example.com."))
    user = find_user(email)
    if user is not None and user.active and _may_mail(email):
        _send_reset(user, links, already_registered=False)


def user_for_reset(token: str) -> User:
    return _user_for_link(
        token, RESET_SALT, RESET_MAX_AGE_HOURS,
        expired=_("This link has expired. Ask for a new one on the sign-in page."),
        broken=_("This link is not valid. Check that you copied all of it, or ask for a new one."),
        used=_("This link was already used, or a newer one replaced it. Sign in with your password, or ask "
               "for a new link."))


def reset_password(token: str, password: str) -> User:
    """Choose a new password with a reset link; the link also proves the address is the owner's."""
    user = change_password(user_for_reset(token), password)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    if user.role != Role.CUSTOMER:
        record("user.reset_password", user, changes={"password": ["…", "chosen"]}, actor=user)
    return user
