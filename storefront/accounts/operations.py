import hashlib
import hmac
import re
import secrets
from datetime import timezone
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.security import generate_password_hash

from .. import ratelimit
from ..audit.operations import created_values, record
from ..catalog.models import Producer
from ..clock import utcnow
from ..errors import DomainError, FieldError
from ..extensions import db
from ..labels import ROLE_NAMES
from ..notifications.operations import queue_message
from ..orders.operations import join_guest_orders
from ..phone import normalize_phone
from . import guessing
from .models import OFFICE_ROLES, EmailChange, Role, User, UserSession
from .passwords import check_password_strength
from .queries import token_hash

# Letters and digits of any script and the usual signs; no space, control, invisible or emoji character.
EMAIL_PATTERN = re.compile(r"^[\w.!#$%&'*+/=?^`{|}~-]{1,64}@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}\Z")
# Messages about an account (confirmation, "you already have one", reset) sent to one address per hour: a
# form filled in again and again must not flood someone's mailbox.
ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR = 3
CONFIRM_MAX_AGE_HOURS = 72
RESET_MAX_AGE_HOURS = 1
EMAIL_CHANGE_MAX_AGE_HOURS = 24
# Guesses at the current password on the account page (a session left open on a shared computer must not
# become a way to find the password): per account, counted in the database, for all workers.
CURRENT_PASSWORD_ATTEMPTS = 10
CURRENT_PASSWORD_WINDOW_SECONDS = 900
EMAIL_CHANGES_PER_ACCOUNT_PER_HOUR = 5


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


class TooManyAttempts(FieldError):
    """A limit on attempts holds: the message says how long to wait; `field` is the one to show it beside,
    or None for the whole form."""


class KnownDevice(NamedTuple):
    """A browser that was signed in before (its signed cookie): its id, and the accounts signed in on it
    (as guessing.account_id of their addresses)."""
    id: str
    accounts: tuple[str, ...]
    # Of those, the accounts that also passed their second factor on it: their code attempts here keep a
    # budget of their own (second_factor.throttle_key).
    second_factor_accounts: tuple[str, ...] = ()


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

def note_new_device(user: User, user_agent: str) -> None:
    """Audit a sign-in from a browser where this account was never signed in before, with what the browser
    says it is (the log names it in its reader's language)."""
    record("user.sign_in_new_device", user, changes={"device": [None, (user_agent or "")[:300]]}, actor=user)


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
    if user.is_office:
        queue_message(
            "invite", user.email, _("Your OCOP Quảng Ngãi office account"),
            _("Hello %(name)s,\n\nAn administrator of the OCOP office of Quảng Ngãi opened an office account "
              "for you, as %(role)s.\n\nChoose your password with this link, within %(hours)s hours (it works "
              "once):\n%(link)s\n\nThen set up the second factor: an authenticator app on your phone gives the "
              "code that every office sign-in asks for.\n\nIf you did not expect this message, you can ignore it.",
              name=user.name or user.email, role=ROLE_NAMES[user.role], hours=hours, link=link))
        return
    producer = user.producer.name if user.producer else ""
    queue_message(
        "invite", user.email, _("Your OCOP Quảng Ngãi producer account"),
        _("Hello %(name)s,\n\nThe OCOP office of Quảng Ngãi opened an account for you to keep the listings of "
          "%(producer)s up to date.\n\nChoose your password with this link, within %(hours)s hours "
          "(it works once):\n%(link)s\n\nIf you did not expect this message, you can ignore it.",
          name=user.name or user.email, producer=producer, hours=hours, link=link))


def _invited_address(email: str) -> str:
    email = (email or "").strip().lower()
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        raise FieldError("email", _("Enter an email address like name@example.com."))
    if find_user(email) is not None:
        raise FieldError("email", _("An account with this email already exists."))
    return email


def invite_producer_user(email: str, producer: Producer, name: str, link_for) -> User:
    """Open a producer account and send its owner a one-time link to choose a password.

    `link_for(token)` makes the link's absolute URL (the caller knows the site's address)."""
    email = _invited_address(email)
    if producer is None:
        raise FieldError("producer_id", _("Choose the producer the account acts for."))
    user = User(email=email, name=(name or "").strip()[:200], role=Role.PRODUCER, producer=producer)
    _reset_to_unusable_password(user)
    record("user.invite", user)
    _send_invite(user, link_for)
    return user


def resend_invite(user: User, link_for, acting: User | None = None) -> User:
    """A new link for an account whose owner lost theirs or let it expire; earlier links stop working.
    Never `acting`'s own account: its password would be reset under its feet."""
    if acting is not None:
        _refuse_acting_on_oneself(user, acting)
    if user.role != Role.PRODUCER and not user.is_office:
        raise DomainError(_("Only producer and office accounts are invited."))
    if not user.active:
        raise DomainError(_("This account is closed. Open it again first."))
    _reset_to_unusable_password(user)
    end_all_sessions(user)
    record("user.reinvite", user, changes={"password": ["…", "reset"]})
    _send_invite(user, link_for)
    return user


class PasswordChangedMeanwhile(InviteInvalid):
    """The password this change was based on was replaced by another request in the meantime."""


def _replace_password(user: User, password: str, replaced_meanwhile: str) -> None:
    """Store the new password (strong enough, see passwords.py) in place of the one `user` was loaded with,
    and only of that one: of two requests with the same link, or the same form sent twice at the same
    moment, one changes it and the other is refused (PasswordChangedMeanwhile). A change of e-mail waiting
    for confirmation is dropped with the old password: whoever asked for it may not be the owner."""
    check_password_strength(password, user.email, user.name)
    new_hash = generate_password_hash(password)
    replaced = db.session.execute(
        update(User).where(User.id == user.id, User.password_hash == user.password_hash)
        .values(password_hash=new_hash).execution_options(synchronize_session=False))
    if replaced.rowcount != 1:
        raise PasswordChangedMeanwhile(replaced_meanwhile)
    set_committed_value(user, "password_hash", new_hash)
    db.session.execute(delete(EmailChange).where(EmailChange.user_id == user.id, EmailChange.confirmed_at.is_(None)))


def change_password(user: User, password: str, replaced_meanwhile: str | None = None) -> User:
    """Give `user` a new password through a one-time link; every session opened with the old one ends: the
    caller signs the person who chose it in afresh."""
    _replace_password(user, password, replaced_meanwhile or _(
        "This link was already used, or a newer one replaced it. Sign in with your password, or ask for a "
        "new link."))
    end_all_sessions(user)
    return user


def accept_invite(token: str, password: str) -> User:
    user = change_password(user_for_invite(token), password, _(
        "This link was already used, or a newer one replaced it. "
        "Sign in with your password, or ask the OCOP office for a new link."))
    record("user.accept_invite", user, changes={"password": ["…", "chosen"]}, actor=user)
    return user


def set_user_active(user: User, active: bool) -> User:
    user.active = active
    record("user.reopen" if active else "user.close", user)  # before anything flushes the change
    if not active:
        end_all_sessions(user)
    return user


# --- the office's own accounts, run by its administrators ---

def invite_office_user(email: str, role: Role, name: str, link_for) -> User:
    """Open an office account with `role` and send its owner a one-time link to choose a password (the
    second factor is set up at the first sign-in)."""
    if role not in OFFICE_ROLES:
        raise FieldError("role", _("Choose one of the office's roles."))
    user = User(email=_invited_address(email), name=(name or "").strip()[:200], role=role)
    _reset_to_unusable_password(user)
    record("user.invite", user)
    _send_invite(user, link_for)
    return user


def _refuse_acting_on_oneself(user: User, acting: User) -> None:
    if user.id == acting.id:
        raise DomainError(_("You cannot change your own account here: ask another administrator."))


def _refuse_removing_last_administrator(user: User) -> None:
    """Refused when `user` is the only open administrator account. Every open administrator row is locked
    first (in one order, so two administrators demoting each other wait for one another): of two such
    changes at the same moment, the second sees the first and is refused."""
    administrators = db.session.scalars(
        select(User.id).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id)
        .with_for_update()).all()
    if administrators == [user.id]:
        raise DomainError(_("This is the last open administrator account: make another administrator "
                            "first, so that someone can still run the office's accounts."))


def change_office_role(user: User, role: Role, acting: User) -> User:
    """Give an office account another office role; it applies from the account's next request."""
    if not user.is_office:
        raise DomainError(_("Only office accounts have office roles."))
    if role not in OFFICE_ROLES:
        raise FieldError("role", _("Choose one of the office's roles."))
    _refuse_acting_on_oneself(user, acting)
    if user.role == role:
        return user
    if user.role == Role.ADMIN:
        _refuse_removing_last_administrator(user)
        db.session.refresh(user)  # the role as the lock found it
    user.role = role
    record("user.change_role", user)
    return user


def set_office_account_active(user: User, active: bool, acting: User) -> User:
    """Close an office account (its sessions end at once) or open it again."""
    if not user.is_office:
        raise DomainError(_("Only office accounts are managed here."))
    _refuse_acting_on_oneself(user, acting)
    if not active and user.role == Role.ADMIN:
        _refuse_removing_last_administrator(user)
    if user.active == active:
        return user
    return set_user_active(user, active)


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


def reset_link_lifetime() -> str:
    """How long a password-reset link works, in words: "within an hour"."""
    return ngettext("within an hour", "within %(num)s hours", RESET_MAX_AGE_HOURS)


def _send_reset(user: User, links, already_registered: bool) -> None:
    reset = links["reset"](_link_token(user, RESET_SALT))
    if already_registered:
        queue_message(
            "register-existing", user.email, _("You already have an OCOP Quảng Ngãi account"),
            _("Hello %(name)s,\n\nSomeone, probably you, tried to create an account at OCOP Quảng Ngãi with this "
              "email address, but you already have one.\n\nSign in here:\n%(sign_in)s\n\nIf you forgot your "
              "password, choose a new one with this link, %(within)s (it works once):\n%(link)s\n\n"
              "If it was not you, you can ignore this message: your account has not changed.",
              name=user.name or user.email, sign_in=links["sign_in"](), within=reset_link_lifetime(), link=reset))
    else:
        queue_message(
            "password-reset", user.email, _("Choose a new password for OCOP Quảng Ngãi"),
            _("Hello %(name)s,\n\nSomeone, probably you, asked to choose a new password for your account at OCOP "
              "Quảng Ngãi.\n\nChoose it with this link, %(within)s (it works once):\n%(link)s\n\n"
              "If it was not you, ignore this message: your password has not changed.",
              name=user.name or user.email, within=reset_link_lifetime(), link=reset))


def register_customer(email: str, password: str, name: str, links, phone: str = "") -> None:
    """Register a shopper, who confirms the address by the link e-mailed to it before signing in; or, when
    the address already has an account, e-mail its owner a way to sign in or choose a new password. The
    caller answers the same in both cases.

    `phone`: optional, a Vietnamese number; with the confirmed address, it joins the guest orders placed
    with both to the account.
    `links`: {"confirm": token → URL, "reset": token → URL, "sign_in": () → URL}, absolute addresses."""
    email = (email or "").strip().lower()
    name = (name or "").strip()
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        raise FieldError("email", _("Enter an email address like name@example.com."))
    if not name or len(name) > 200:
        raise FieldError("name", _("Enter your name."))
    national_phone = _account_phone(phone)
    check_password_strength(password, email, name)
    user = find_user(email)
    if user is not None and user.email_confirmed_at is not None:
        User(password_hash="").set_password(password)  # as long to answer as a new registration
        if user.active and _may_mail(email):
            _send_reset(user, links, already_registered=True)
        return
    new = user is None
    if new:
        user = User(email=email, role=Role.CUSTOMER, email_confirmed_at=None)
        db.session.add(user)
    # An unconfirmed account belongs to nobody yet: the latest registration replaces its name and password,
    # and the links sent before stop working (someone else may have typed this address first).
    user.name = name
    user.phone = national_phone
    user.set_password(password)
    db.session.flush()
    if new:
        record("user.register", user, changes=created_values(user), actor=user)
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
    """Confirm a registration: the address is the owner's, so the guest orders placed with it and the
    account's phone join the account (see join_guest_orders)."""
    user = user_for_confirmation(token)
    user.email_confirmed_at = utcnow()
    join_guest_orders(user)
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
    """Choose a new password with a reset link; the link also proves the address is the owner's. Every
    session of the account ends: the caller signs the person who chose it in afresh."""
    user = change_password(user_for_reset(token), password)
    changes = {"password": ["…", "chosen"]}
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        changes["email_confirmed_at"] = [None, user.email_confirmed_at.isoformat()]
    record("user.reset_password", user, changes=changes, actor=user)
    join_guest_orders(user)
    return user


# --- the owner's settings on /account: name and phone, e-mail address, password ---

def _account_phone(phone: str | None) -> str | None:
    """An account's optional phone in the national form the orders keep (so guest orders can join), or
    None when left empty; anything else is refused."""
    phone = (phone or "").strip()
    if not phone:
        return None
    national = normalize_phone(phone)
    if len(phone) > 40 or national is None:
        raise FieldError("phone", _("Enter a Vietnamese phone number, like 0912 345 678 or +84 912 345 678."))
    return national


def update_profile(user: User, name: str, phone: str) -> list:
    """Change the account's name and phone (a Vietnamese number, as the checkout takes, or none); returns
    the guest orders the number joined to the account (see join_guest_orders)."""
    name = (name or "").strip()
    if not name:
        raise FieldError("name", _("Enter your name."))
    if len(name) > 200:
        raise FieldError("name", _("The name can have at most 200 characters."))
    user.name, user.phone = name, _account_phone(phone)
    record("user.update_profile", user, actor=user)
    return join_guest_orders(user)


def check_current_password(user: User, password: str, field: str = "current_password") -> None:
    """Refuse unless `password` is the account's password, counted against CURRENT_PASSWORD_ATTEMPTS."""
    if not ratelimit.hit("current-password", str(user.id), CURRENT_PASSWORD_ATTEMPTS,
                         CURRENT_PASSWORD_WINDOW_SECONDS):
        raise TooManyAttempts(field, _("Too many attempts. Please wait 15 minutes, or choose a new password with "
                                  "\"Forgot your password?\" on the sign-in page."))
    if not password or not user.check_password(password):
        raise FieldError(field, _("This is not your current password."))


def change_own_password(user: User, current_password: str, new_password: str, links) -> User:
    """The owner, signed in, changes the password: the current one is asked, the new one must pass
    passwords.py; every other session ends, the one `user` was loaded for stays. The address gets a notice.

    `links`: {"forgot": () → URL of the forgotten-password page}, as for the other account e-mails."""
    check_current_password(user, current_password)
    if current_password == new_password:
        raise FieldError("password", _("Choose a password different from the current one."))
    _replace_password(user, new_password, _("Your password was changed in the meantime. Enter the new one."))
    end_all_sessions(user, except_current=True)
    record("user.change_password", user, changes={"password": ["…", "changed"]}, actor=user)
    if _may_mail(user.email):
        queue_message(
            "password-changed", user.email, _("Your OCOP Quảng Ngãi password was changed"),
            _("Hello %(name)s,\n\nThe password of your account at OCOP Quảng Ngãi was just changed, and every "
              "other device was signed out.\n\nIf it was not you, choose a new password now with \"Forgot your "
              "password?\" on the sign-in page:\n%(link)s",
              name=user.name or user.email, link=links["forgot"]()))
    return user


def pending_email_change(user: User) -> EmailChange | None:
    """The change of address `user` asked for that still waits for its link, while the link works."""
    change = db.session.scalar(select(EmailChange).where(EmailChange.user_id == user.id,
                                                         EmailChange.confirmed_at.is_(None))
                               .order_by(EmailChange.id.desc()).limit(1))
    if change is None or _email_change_expired(change):
        return None
    return change


def _email_change_expired(change: EmailChange) -> bool:
    return (utcnow() - change.created_at).total_seconds() > EMAIL_CHANGE_MAX_AGE_HOURS * 3600


def request_email_change(user: User, new_email: str, current_password: str, links) -> str:
    """Ask to move the account to `new_email`: a one-time link goes to the new address, a notice to the
    current one, and nothing changes until the link is followed (confirm_email_change). Returns the address
    as written to (trimmed, lower case).

    When another account already uses the new address, nothing is asked and the caller answers exactly as
    if it were: only that address's owner learns, by e-mail, that someone tried.

    `links`: {"confirm_email_change": token → URL, "forgot": () → URL}, absolute addresses."""
    new_email = (new_email or "").strip().lower()
    if not EMAIL_PATTERN.match(new_email) or len(new_email) > 254:
        raise FieldError("email", _("Enter an email address like name@example.com."))
    if new_email == user.email:
        raise FieldError("email", _("This is already your email address."))
    check_current_password(user, current_password, field="password")
    if not ratelimit.hit("email-change", str(user.id), EMAIL_CHANGES_PER_ACCOUNT_PER_HOUR, 3600):
        raise TooManyAttempts(None, _("Too many changes of address were asked for this account. Please try again in an hour."))
    # A newer request replaces the one before: its link stops working.
    db.session.execute(delete(EmailChange).where(EmailChange.user_id == user.id, EmailChange.confirmed_at.is_(None)))
    owner = find_user(new_email)
    if owner is not None:
        if owner.active and owner.email_confirmed_at is not None and _may_mail(new_email):
            queue_message(
                "email-change-taken", new_email, _("Someone tried to use your address at OCOP Quảng Ngãi"),
                _("Hello %(name)s,\n\nSomeone asked to move another account at OCOP Quảng Ngãi to this email "
                  "address, which your account already uses. Nothing was changed, and your account is as it "
                  "was.\n\nIf it was you, sign in to this account instead, or use another address for the "
                  "other one.", name=owner.name or owner.email))
    else:
        token = secrets.token_urlsafe(32)
        db.session.add(EmailChange(user_id=user.id, new_email=new_email, token_hash=token_hash(token)))
        if _may_mail(new_email):
            queue_message(
                "email-change-confirm", new_email, _("Confirm your new address at OCOP Quảng Ngãi"),
                _("Hello %(name)s,\n\nTo use this address for your account at OCOP Quảng Ngãi, open this link "
                  "within %(hours)s hours (it works once):\n%(link)s\n\nUntil then, your account keeps its "
                  "current address. If you did not ask for this, ignore this message.",
                  name=user.name or user.email, hours=EMAIL_CHANGE_MAX_AGE_HOURS, link=links["confirm_email_change"](token)))
    if _may_mail(user.email):
        queue_message(
            "email-change-notice", user.email, _("A new email address was asked for your OCOP Quảng Ngãi account"),
            _("Hello %(name)s,\n\nSomeone signed in to your account at OCOP Quảng Ngãi asked to use %(new)s "
              "instead of this address. Nothing changes until a link sent to %(new)s is followed.\n\nIf it was "
              "not you, choose a new password now with \"Forgot your password?\" on the sign-in page: that also "
              "cancels the change.\n%(link)s",
              name=user.name or user.email, new=new_email, link=links["forgot"]()))
    return new_email


def email_change_for(token: str) -> EmailChange:
    """The change of address a link is for, while it can still be confirmed; InviteInvalid otherwise."""
    change = None
    if isinstance(token, str) and 0 < len(token) <= 100:
        change = db.session.scalar(select(EmailChange).where(EmailChange.token_hash == token_hash(token)))
    if change is None:
        raise InviteInvalid(_("This link is not valid, or a newer one replaced it. Check that you copied all "
                              "of it, or ask again for the change on your account page."))
    if change.confirmed_at is not None:
        raise InviteInvalid(_("This link was already used: your account already has this address."))
    if _email_change_expired(change):
        raise InviteInvalid(_("This link has expired. Ask again for the change on your account page."))
    if not change.user.active:
        raise InviteInvalid(_("This account is closed."))
    return change


def confirm_email_change(token: str) -> tuple[User, list]:
    """Apply a change of address from its link, once; returns the account and the guest orders the
    confirmed address joined to it (see join_guest_orders)."""
    change = email_change_for(token)
    user = change.user
    taken = find_user(change.new_email)
    if taken is not None and taken.id != user.id:
        raise InviteInvalid(_("Another account now uses this address: your account keeps its address."))
    try:
        with db.session.begin_nested():
            used = db.session.execute(
                update(EmailChange).where(EmailChange.id == change.id, EmailChange.confirmed_at.is_(None))
                .values(confirmed_at=utcnow()).execution_options(synchronize_session=False))
            if used.rowcount != 1:
                raise InviteInvalid(_("This link was already used: your account already has this address."))
            user.email = change.new_email
            user.email_confirmed_at = utcnow()
            record("user.change_email", user, actor=user)
            db.session.flush()
    except IntegrityError:
        raise InviteInvalid(_("Another account now uses this address: your account keeps its address.")) from None
    return user, join_guest_orders(user)
