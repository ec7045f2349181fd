import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..catalog.models import Producer
from ..clock import utcnow
from ..extensions import db, enum_column


class Role(enum.StrEnum):
    CUSTOMER = "customer"
    PRODUCER = "producer"
    # The OCOP office. The administrator runs the office's accounts and may do everything else; the others
    # hold one part of the work each (storefront.accounts.access says which routes).
    ADMIN = "admin"
    CERTIFICATE_OFFICER = "certificate_officer"
    ORDER_DESK = "order_desk"
    VIEWER = "viewer"


OFFICE_ROLES = frozenset({Role.ADMIN, Role.CERTIFICATE_OFFICER, Role.ORDER_DESK, Role.VIEWER})


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    __table_args__ = (
        # A producer account acts for exactly one producer; nobody else is tied to one.
        CheckConstraint("(role = 'producer') = (producer_id IS NOT NULL)", name="producer_account_has_producer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.CUSTOMER)
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("producer.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # None while a self-registered account waits for its owner to follow the e-mailed link; accounts made by
    # the office or the command line are confirmed when made (see __init__).
    email_confirmed_at: Mapped[datetime | None]
    # The owner's Vietnamese phone in its national form (storefront.phone), as the checkout keeps an order's:
    # with the confirmed e-mail, what joins the owner's earlier guest orders to the account.
    phone: Mapped[str | None] = mapped_column(String(20))

    producer: Mapped[Producer | None] = relationship()

    # The signed-in session (UserSession) this object was loaded or signed in for, by its secret token: what
    # flask-login keeps in the session cookie and the remember cookie, so that ending the record on the
    # server ends both. Not a column: set per request by storefront.accounts.login.
    session_token = None
    # Two objects are the same account when they are the same row, whatever session each was loaded for.
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __init__(self, **fields):
        fields.setdefault("email_confirmed_at", utcnow())  # a registration passes None explicitly
        super().__init__(**fields)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_office(self) -> bool:
        """One of the OCOP office's people, whatever their role there."""
        return self.role in OFFICE_ROLES

    @property
    def needs_second_factor(self) -> bool:
        """Whether the account may not be signed in without a second factor (see second_factor.py): the
        office's accounts reach every order and certificate; for others it is their own choice."""
        return self.is_office

    def get_id(self) -> str:
        if not self.session_token:
            raise RuntimeError("Sign accounts in with storefront.accounts.login.sign_in_user, which starts a session.")
        return self.session_token

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self):
        return f"<User {self.email} {self.role}>"


class UserSession(db.Model):
    """One signed-in session of an account: live until it is ended (sign-out, a password change, "sign out
    everywhere", a closed account) or expires. Only the hash of its token is kept, so a copy of the
    database cannot sign anyone in."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    # "Keep me signed in on this device": the session outlives the browser (the remember cookie).
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Written at most every SESSION_TOUCH_SECONDS, never by every request.
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    ended_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def __repr__(self):
        return f"<UserSession {self.id} of user {self.user_id}{' ended' if self.ended_at else ''}>"


class SignInThrottle(db.Model):
    """How many sign-in attempts in a row failed for one key (an account tried from unknown devices, or an
    account on one known device), and when the next attempt is allowed: the wait grows with each failure."""

    __tablename__ = "sign_in_throttle"

    # "account:<hash of the address>" or "device:<device id>:<account id>": no typed address is stored.
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)


class EmailChange(db.Model):
    """A change of an account's e-mail address waiting for the link sent to the new address: applied once,
    when that link is followed in time. Only the hash of the link's token is kept."""

    __tablename__ = "email_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    new_email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class SecondFactor(db.Model):
    """An account's authenticator app (TOTP, RFC 6238): its shared secret, encrypted with a key derived from
    the shop's SECRET_KEY (so a copy of the database cannot make codes), and the last time step a code was
    accepted for, so that no code is accepted twice."""

    __tablename__ = "second_factor"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    secret: Mapped[str] = mapped_column(String(300))
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_step: Mapped[int] = mapped_column(default=0)

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """One of the single-use codes that stand in for the authenticator app when it is lost; only a keyed
    hash of each is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
