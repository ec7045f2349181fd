"""When the database has no connection to spare, visitors get a 503 page in their language with
Retry-After, and the shop serves again as soon as a connection is free."""
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from shared import DATABASE_URL, ON_POSTGRES
from storefront import create_app
from storefront.config import TestConfig
from storefront.extensions import db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def one_connection_app(tmp_path):
    """A shop whose pool holds one connection and waits a fifth of a second for it."""
    app = create_app(type("OneConnection", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shop.db'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2},
        "MEDIA_ROOT": str(tmp_path / "media"), "SEARCH_INDEX_DIR": str(tmp_path / "index"),
    }))
    with app.app_context():
        db.create_all()
        engine = db.engine
    yield app, engine
    engine.dispose()


def test_no_free_connection_is_a_503_in_the_visitors_language_and_the_shop_recovers(one_connection_app):
    app, engine = one_connection_app
    client = app.test_client()
    held = engine.connect()  # another request holds the only connection
    try:
        for path, text in (("/products", "quá nhiều khách"), ("/en/products", "Too many visitors"),
                           ("/en/orders/QN23456789", "Too many visitors")):
            response = client.get(path)
            assert response.status_code == 503, path
            assert response.headers["Retry-After"] == str(app.config["RETRY_AFTER_SECONDS"])
            assert text in response.get_data(as_text=True)
        api = client.get("/api/v1/products")
        assert api.status_code == 503 and api.get_json()["status"] == 503
    finally:
        held.close()
    assert client.get("/products").status_code == 200


# --- PostgreSQL: gunicorn under load with a database role that allows 2 connections ---

TINY_ROLE = "ocop_tiny_pool"


def _psql(sql: str) -> None:
    import psycopg

    url = make_url(DATABASE_URL).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as connection:
        connection.execute(sql)


@pytest.fixture
def tiny_role(app):
    database = make_url(DATABASE_URL).database
    _drop_tiny_role()
    # One connection per worker's pool, and the node's search follower listening for changes.
    _psql(f"CREATE ROLE {TINY_ROLE} LOGIN CONNECTION LIMIT 3")
    _psql(f"GRANT CONNECT ON DATABASE {database} TO {TINY_ROLE}")
    _psql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {TINY_ROLE}")
    _psql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {TINY_ROLE}")
    yield make_url(DATABASE_URL).set(username=TINY_ROLE).render_as_string(hide_password=False)
    _drop_tiny_role()


def _drop_tiny_role() -> None:
    _psql(f"DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{TINY_ROLE}') THEN "
          f"DROP OWNED BY {TINY_ROLE}; END IF; END $$")
    _psql(f"DROP ROLE IF EXISTS {TINY_ROLE}")


def _get(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read().decode()


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (TEST_DATABASE_URL)")
def test_gunicorn_with_too_few_connections_answers_503_not_500(tiny_role, tmp_path, unused_port):
    environment = {**os.environ, "OCOP_ENV": "production", "SECRET_KEY": "k" * 40, "DATABASE_URL": tiny_role,
                   "DATABASE_POOL_SIZE": "1", "DATABASE_MAX_OVERFLOW": "4", "DATABASE_POOL_TIMEOUT": "1",
                   "PAGE_CACHE_SIZE": "0", "INSTANCE_DIR": str(tmp_path),
                   "SEARCH_INDEX_DIR": str(tmp_path / "index"), "MEDIA_ROOT": str(tmp_path / "media")}
    log = tmp_path / "gunicorn.log"  # a file, not a pipe: a full pipe would block the workers' logging
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "8", "--worker-class", "gthread",
             "--bind", f"127.0.0.1:{unused_port}", "wsgi:app"],
            cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=log_file)
    base = f"http://127.0.0.1:{unused_port}"
    try:
        _wait_until_up(base, server, log)
        statuses: dict[int, int] = {}
        problems: list[str] = []
        lock = threading.Lock()
        stop = time.monotonic() + 4

        def press(number: int) -> None:
            count = 0
            while time.monotonic() < stop:
                status, headers, body = _get(f"{base}/products?visitor={number}-{count}")
                count += 1
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    if status == 503 and ("Retry-After" not in headers or "quá nhiều khách" not in body):
                        problems.append(f"503 without Retry-After or its page: {headers}")
                    elif status not in (200, 503):
                        problems.append(f"{status}: {body[:200]}")

        with ThreadPoolExecutor(24) as pool:
            list(pool.map(press, range(24)))
        assert not problems, problems[:3]
        assert statuses.get(503, 0) > 0, statuses  # the role's limit was reached
        # Each worker keeps one connection (pool size 1 × 2 workers, plus the follower's = the role's limit):
        # served again at once.
        assert [_get(f"{base}/products?after={number}")[0] for number in range(10)] == [200] * 10
    finally:
        server.terminate()
        server.wait(timeout=30)
    errors = log.read_text()
    assert "Traceback" not in errors, errors[-3000:]


def _wait_until_up(base: str, server: subprocess.Popen, log: Path) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise AssertionError(log.read_text()[-3000:])
        try:
            if _get(f"{base}/healthz/live")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("gunicorn did not start")


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
