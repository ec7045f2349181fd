import re

from sqlalchemy import select

from ..catalog.models import Producer
from ..errors import DomainError
from ..extensions import db
from .models import Role, User

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
