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

from shared import DATABASE_URL, ON_POSTGRES, TOTP_SECRET


class ShopClient(FlaskClient):
    """A browser as the shop sees it in production.

    - Each request runs in an application context of its own, so in its own database session (and its
      own `g`), as under gunicorn. What the test staged is committed first, so the request sees it, and
      the test's session forgets what it had loaded afterwards, so it reads what the request committed.
    - CSRF protection is on. A form posted with `data=` carries the token that the page's own form would,
      a body built by the test carries it in a header (`csrf=False` posts without one, as a forged
      request would).
    - A sign-in that asks for the second factor is answered with a fresh code from the account's app, as its
      owner would, and the answer's response is returned (set `answers_second_factor = False` to see the
      code page, as the second factor's own tests do).
    """

    answers_second_factor = True

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
        location = response.headers.get("Location", "") if response.status_code in (302, 303) else ""
        if self.answers_second_factor and location.split("?")[0].endswith("/sign-in/code"):
            code = contextvars.Context().run(self._second_factor_code)
            if code:
                return self.open(location, method="POST", data={"code": code})
        return response

    def know_device_of(self, *emails) -> None:
        """Make this browser one the accounts of `emails` signed in on before (their device cookie), as a
        shopper's own phone is: signing in here is then no new device for the audit log."""
        from itsdangerous import URLSafeSerializer

        from storefront.accounts.guessing import account_id
        from storefront.accounts.login import DEVICE_COOKIE, DEVICE_SALT

        serializer = URLSafeSerializer(self.application.secret_key, salt=DEVICE_SALT)
        self.set_cookie(DEVICE_COOKIE, serializer.dumps({"d": "test-device", "u": [account_id(e) for e in emails]}))

    def _second_factor_code(self) -> str | None:
        """A code the pending account's app shows now, that the shop has not accepted yet."""
        from storefront.accounts.login import PENDING_KEY, PENDING_SALT
        from storefront.accounts.operations import _serializer

        with self.session_transaction() as session:
            raw = session.get(PENDING_KEY)
        with self.application.app_context():
            user_id = _serializer(PENDING_SALT).loads(raw)["user"] if raw else None
            code = second_factor_code(user_id) if user_id else None
            db.session.commit()
            db.session.remove()
        return code

    def csrf_token(self) -> str:
        """The signed token a form rendered for this client's session holds (made as Flask-WTF does)."""
        from itsdangerous import URLSafeTimedSerializer

        with self._token_lock, self.session_transaction() as session:
            raw = session.setdefault("csrf_token", secrets.token_hex(20))
        secret = self.application.config.get("WTF_CSRF_SECRET_KEY") or self.application.secret_key
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)


def enrol_second_factor(user, secret: str = TOTP_SECRET):
    """Give `user` an authenticator app whose secret is `secret` (staged in the current session)."""
    from storefront.accounts.models import SecondFactor
    from storefront.accounts.second_factor import encrypt_secret

    db.session.add(SecondFactor(user_id=user.id, secret=encrypt_secret(secret)))
    db.session.flush()


def second_factor_code(user_id: int) -> str:
    """The code the account's app shows for the earliest time step the shop still accepts.

    Tests sign one account in many times a minute, more often than the 30-second steps allow (each code
    works once): when every step that is accepted now was used, the account's record of the last one is
    set back, as if the last sign-in had been a minute ago. Only this helper does that."""
    import pyotp
    from sqlalchemy import select

    from storefront.accounts.models import SecondFactor
    from storefront.accounts.second_factor import current_step, decrypt_secret

    factor = db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == user_id))
    now = current_step()
    if factor.last_used_step >= now + 1:
        factor.last_used_step = now - 2
        db.session.flush()
    # Not the step before now: it stops being accepted at the next step, maybe before the request arrives.
    step = max(now, factor.last_used_step + 1)
    return pyotp.TOTP(decrypt_secret(factor.secret)).generate_otp(step)


def type_second_factor_code(page, app, email: str) -> None:
    """In a browser test on the code page: type and send the code the account's app shows now."""
    from sqlalchemy import select

    from storefront.accounts.models import User

    with app.app_context():
        code = second_factor_code(db.session.scalar(select(User.id).where(User.email == email)))
        db.session.commit()
        db.session.remove()
    page.fill("#code", code)
    page.locator("main form.stacked-form button[type=submit]").click()
    page.wait_for_load_state()


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
