"""Extensions, created here and bound to the app in create_app."""
from contextlib import contextmanager

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

# Stable constraint names, so that migrations work the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()


def enum_column(enum_class):
    """An enum stored as its value (readable in SQL and in CHECK constraints), portable across databases."""
    return db.Enum(enum_class, native_enum=False, length=20, validate_strings=True,
                   values_callable=lambda members: [member.value for member in members])


@contextmanager
def independent_transaction():
    """A connection in a transaction of its own, committed at once, so what it writes (a rate-limit hit)
    stands even when the request fails and rolls back.

    Except on SQLite once the request has begun writing: SQLite has one writer at a time, and a second
    connection would wait for this request's own lock until it timed out. There the request's own
    connection is used, and the count shares the request's fate (SQLite is the one-machine default)."""
    session = db.session()
    if db.engine.dialect.name == "sqlite" and _writing(session):
        yield session.connection()
        return
    with db.engine.begin() as connection:
        yield connection


def _writing(session) -> bool:
    if not session.in_transaction():
        return False
    return bool(session.connection().connection.dbapi_connection.in_transaction)
