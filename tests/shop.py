"""The shop as tests run it: a client that behaves like a browser in production, and demo shops built by
the migrations and `flask demo load` (imported by the fixtures of conftest.py and by tests that need a
shop of their own)."""
import contextvars
import secrets
import threading

from flask import has_app_context
from flask.testing import FlaskClient

from storefront import create_app
from storefront.config import TestConfig
from storefront.extensions import db

from shared import DATABASE_URL, ON_POSTGRES


class ShopClient(FlaskClient):
    """A browser as the shop sees it in production.

    - Each request runs in an application context of its own, so in its own database session (and its
      own `g`), as under gunicorn. What the test staged is committed first, so the request sees it, and
      the test's session forgets what it had loaded afterwards, so it reads what the request committed.
    - CSRF protection is on. A form posted with `data=` carries the token that the page's own form would,
      a body built by the test carries it in a header (`csrf=False` posts without one, as a forged
      request would).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Threads sharing one client (the race tests) must agree on the session's token.
        self._token_lock = threading.Lock()

    def open(self, *args, csrf=True, **kwargs):
        if has_app_context():
            db.session.commit()
        data = kwargs.get("data")
        if csrf and kwargs.get("method", "GET") == "POST":
            if data is None or isinstance(data, dict):
                kwargs["data"] = {"csrf_token": self.csrf_token(), **(data or {})}
            else:  # a body built by the test (a large multipart upload): the header a script would send
                kwargs["headers"] = {**(kwargs.get("headers") or {}), "X-CSRFToken": self.csrf_token()}
        # A fresh contextvars context has no application context: the request pushes its own.
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response

    def know_device_of(self, *emails) -> None:
        """Make this browser one the accounts of `emails` signed in on before (their device cookie), as a
        shopper's own phone is: signing in here is then no new device for the audit log."""
        from itsdangerous import URLSafeSerializer

        from storefront.accounts.guessing import account_id
        from storefront.accounts.login import DEVICE_COOKIE, DEVICE_SALT

        serializer = URLSafeSerializer(self.application.secret_key, salt=DEVICE_SALT)
        self.set_cookie(DEVICE_COOKIE, serializer.dumps({"d": "test-device", "u": [account_id(e) for e in emails]}))

    def csrf_token(self) -> str:
        """The signed token a form rendered for this client's session holds (made as Flask-WTF does)."""
        from itsdangerous import URLSafeTimedSerializer

        with self._token_lock, self.session_transaction() as session:
            raw = session.setdefault("csrf_token", secrets.token_hex(20))
        secret = self.application.config.get("WTF_CSRF_SECRET_KEY") or self.application.secret_key
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)


def demo_shop(folder, name: str, **settings):
    """Build a demo shop of its own (database `<test database>_<name>` or a SQLite file in `folder`), yield
    its app, then drop it."""
    from flask_migrate import upgrade

    database_url = _recreated_database(name) if ON_POSTGRES else f"sqlite:///{folder / (name + '.db')}"
    app = create_app(type("DemoConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MEDIA_ROOT": str(folder / "media"),
        "SEARCH_INDEX_DIR": str(folder / "search-index"),
        **settings,
    }))
    app.test_client_class = ShopClient
    logging_before = _logging_state()
    try:
        with app.app_context():
            upgrade()
    finally:
        _restore_logging(logging_before)
    with app.app_context():
        for command in (["demo", "load"], ["search", "rebuild"]):
            result = app.test_cli_runner().invoke(args=command)
            assert result.exit_code == 0, result.output
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if ON_POSTGRES:
        _drop_database(name)


def _database_name(name: str) -> str:
    from sqlalchemy.engine import make_url

    return f"{make_url(DATABASE_URL).database}_{name}"


def _server_connection():
    """An autocommit connection to the test database's server, where databases can be made and dropped."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(DATABASE_URL).set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


def _drop_database(name: str) -> None:
    from psycopg import sql

    with _server_connection() as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(_database_name(name))))


def _recreated_database(name: str) -> str:
    from psycopg import sql
    from sqlalchemy.engine import make_url

    _drop_database(name)
    with _server_connection() as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(_database_name(name))))
    return make_url(DATABASE_URL).set(database=_database_name(name)).render_as_string(hide_password=False)


def _logging_state():
    """Alembic's env.py applies alembic.ini's logging config to the root logger: the session's other
    tests keep the logging they started with."""
    import logging

    root = logging.getLogger()
    loggers = {name: (logger.disabled, logger.level) for name, logger in logging.root.manager.loggerDict.items()
               if isinstance(logger, logging.Logger)}
    return list(root.handlers), root.level, loggers


def _restore_logging(state) -> None:
    import logging

    handlers, level, loggers = state
    root = logging.getLogger()
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, (disabled, logger_level) in loggers.items():
        logger = logging.getLogger(name)
        logger.disabled = disabled
        logger.setLevel(logger_level)
