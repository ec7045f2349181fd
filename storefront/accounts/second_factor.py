"""The second factor: a code from an authenticator app (TOTP, RFC 6238, by pyotp) asked after the password.

Required for the OCOP office's accounts (User.needs_second_factor), a choice for producers and shoppers.
Each account gets ten single-use recovery codes with it, for the day the phone is lost; an administrator can
reset a colleague's second factor, and `flask user reset-second-factor` the first administrator's.

- The shared secret is stored encrypted (Fernet, with a key derived from SECRET_KEY by HKDF): a copy of the
  database alone cannot make codes. Recovery codes are kept as keyed hashes, for the same reason.
- A code is accepted for the time step before, at or after now (a phone's clock a little off), and never
  for a step at or before the last one accepted: a code seen over someone's shoulder cannot be used again.
  The step moves by a conditional UPDATE, so of two requests with the same code, one passes.
- Wrong codes are limited per account by the sign-in throttle (guessing.py): a growing wait, never a lock.
"""
import base64
import hashlib
import hmac
import secrets
from datetime import timezone

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from ..audit.operations import record
from ..clock import utcnow
from ..errors import DomainError, FieldError
from ..extensions import db
from . import guessing
from .models import RecoveryCode, SecondFactor, User
from .operations import end_all_sessions

ISSUER = "OCOP Quảng Ngãi"
STEP_SECONDS = 30
DIGITS = 6
RECOVERY_CODES = 10
# Ten characters from an alphabet without look-alikes (no 0/o, 1/l/i): 50 bits each.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 10


class SecondFactorRefused(FieldError):
    """A code that is wrong, already used, or for an account without a second factor."""

    def __init__(self, message: str):
        super().__init__("code", message)


class CodeThrottled(DomainError):
    """Too many wrong codes: `wait_seconds` before the next one may be tried."""

    def __init__(self, wait_seconds: int):
        super().__init__(_("Too many wrong codes."))
        self.wait_seconds = wait_seconds


class TurnOffRefused(DomainError):
    """The account must keep its second factor."""


# --- keys derived from SECRET_KEY ---

def _derived_key(purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"ocop-second-factor:" + purpose) \
        .derive(current_app.config["SECRET_KEY"].encode())


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derived_key(b"secret")))


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt_secret(stored: str) -> str | None:
    """The base32 secret; None when it cannot be read (SECRET_KEY changed since: the factor must be reset)."""
    try:
        return _fernet().decrypt(stored.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def _recovery_hash(code: str) -> str:
    return hmac.new(_derived_key(b"recovery"), code.encode(), hashlib.sha256).hexdigest()


def normalize_recovery_code(typed: str) -> str:
    return "".join(character for character in (typed or "").lower() if character.isalnum())


def looks_like_totp(typed: str) -> bool:
    digits = "".join((typed or "").split())
    return len(digits) == DIGITS and digits.isascii() and digits.isdigit()


# --- reading ---

def factor_of(user: User) -> SecondFactor | None:
    return db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == user.id))


def has_second_factor(user: User) -> bool:
    return db.session.scalar(select(func.count(SecondFactor.id)).where(SecondFactor.user_id == user.id)) > 0


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count(RecoveryCode.id))
                             .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def current_step() -> int:
    return int(utcnow().replace(tzinfo=timezone.utc).timestamp()) // STEP_SECONDS


# --- enrolment ---

def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth address as an inline SVG QR code for the authenticator app's camera."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, title=ISSUER)


def grouped(secret: str) -> str:
    """The secret as people copy it by hand: groups of four."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _matching_step(secret: str, code: str, after_step: int) -> int | None:
    """The step within one step of now for which `code` is right and later than `after_step`; else None."""
    code = "".join((code or "").split())
    if not looks_like_totp(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now = current_step()
    for step in (now - 1, now, now + 1):
        if step > after_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
             for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(code)) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def enrol(user: User, secret: str, code: str, actor: User | None = None) -> list[str]:
    """Keep `secret` as the account's second factor once `code` proves the app makes codes from it; any
    earlier factor and recovery codes are replaced. Returns the ten new recovery codes in plain text: the
    only time they are shown."""
    step = _matching_step(secret, code, after_step=0)
    if step is None:
        raise SecondFactorRefused(_("This code is not right. Check that the app shows the account you just "
                                    "added, and type the code it shows now."))
    # The account's row is locked first: of two set-ups at the same moment (two browsers of the owner), the
    # second waits, then replaces the first's factor instead of adding a second one.
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    factor = factor_of(user)
    if factor is None:
        factor = SecondFactor(user_id=user.id)
        db.session.add(factor)
    factor.secret = encrypt_secret(secret)
    factor.enrolled_at = utcnow()
    factor.last_used_step = step
    codes = _new_recovery_codes(user)
    record("user.second_factor_enrol", user, changes={"second_factor": [None, "enrolled"]}, actor=actor or user)
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    if not has_second_factor(user):
        raise DomainError(_("Turn on the second factor first."))
    codes = _new_recovery_codes(user)
    record("user.recovery_codes", user, changes={"recovery_codes": ["…", "new"]}, actor=user)
    return codes


def turn_off(user: User) -> None:
    """The owner removes the second factor; refused for the accounts that must have one."""
    if user.needs_second_factor:
        raise TurnOffRefused(_("Accounts of the OCOP office must keep a second factor. To move it to a new phone, "
                            "set it up again."))
    if not has_second_factor(user):
        raise DomainError(_("This account has no second factor."))
    _remove(user)
    record("user.second_factor_off", user, changes={"second_factor": ["enrolled", None]}, actor=user)


def _remove(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))


def reset(user: User, actor: User | None) -> None:
    """Remove `user`'s second factor and recovery codes for someone who lost them, and end every session of
    the account: it sets a new one up at its next sign-in (the office must). `actor` is the administrator;
    None on the command line (the audit log then says "command line")."""
    if actor is not None and actor.id == user.id:
        raise DomainError(_("You cannot reset your own second factor. Ask another administrator."))
    if not has_second_factor(user):
        raise DomainError(_("This account has no second factor to reset."))
    _remove(user)
    end_all_sessions(user)
    record("user.second_factor_reset", user, changes={"second_factor": ["enrolled", None]}, actor=actor)


# --- signing in ---

def throttle_key(user_id: int, device_id: str | None = None) -> str:
    """The count of an account's code attempts: one for every browser it never passed the second factor
    on (where someone who learnt the password would try), and one of its own for each browser it did
    (the owner's phone), which nobody elsewhere can spend."""
    return f"second-factor:{user_id}" + (f":{device_id[:40]}" if device_id else "")


def take_code_attempt(user_id: int, device_id: str | None = None) -> None:
    """Count one code attempt for the account before anything else of the request's (see guessing.py);
    CodeThrottled while the wait holds."""
    wait = guessing.take_attempt(throttle_key(user_id, device_id))
    if wait:
        raise CodeThrottled(wait)


def verify(user: User, typed: str, device_id: str | None = None) -> str:
    """Accept a code from the app, or a recovery code, once: returns "totp" or "recovery". The caller has
    counted the attempt with take_code_attempt(user.id, device_id); a right code forgives the count."""
    factor = factor_of(user)
    if factor is None:
        raise SecondFactorRefused(_("This account has no second factor."))
    if looks_like_totp(typed):
        secret = decrypt_secret(factor.secret)
        step = _matching_step(secret, typed, factor.last_used_step) if secret else None
        if step is None:
            raise SecondFactorRefused(_("This code is not right, or it was already used. Wait for the next "
                                        "code in the app and type it."))
        # Of two requests with the same code, the first to move the step wins; the other finds it moved.
        moved = db.session.execute(
            update(SecondFactor).where(SecondFactor.id == factor.id, SecondFactor.last_used_step < step)
            .values(last_used_step=step).execution_options(synchronize_session=False))
        if moved.rowcount != 1:
            raise SecondFactorRefused(_("This code was already used. Wait for the next code in the app and "
                                        "type it."))
        guessing.forgive(throttle_key(user.id, device_id))
        return "totp"
    code = normalize_recovery_code(typed)
    used = None
    if len(code) == RECOVERY_LENGTH:
        used = db.session.execute(
            update(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                       RecoveryCode.code_hash == _recovery_hash(code),
                                       RecoveryCode.used_at.is_(None))
            .values(used_at=utcnow()).execution_options(synchronize_session=False))
    if used is None or used.rowcount != 1:
        raise SecondFactorRefused(_("This code is not right, or it was already used. Type the 6 digits the "
                                    "app shows, or one of your recovery codes."))
    guessing.forgive(throttle_key(user.id, device_id))
    record("user.recovery_code_used", user, changes={"recovery_codes_left": [None, recovery_codes_left(user)]},
           actor=user)
    return "recovery"
