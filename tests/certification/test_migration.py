"""The migration that brings number keys and the level rules checks the certificates already stored first:
one that breaks a rule stops it, with the list to correct, and nothing is changed meanwhile."""
import importlib.util
import logging
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from storefront import create_app
from storefront.config import TestConfig

MIGRATION = next((Path(__file__).resolve().parents[2] / "migrations" / "versions").glob(
    "*certificate_number_keys_and_level_rules.py"))
_spec = importlib.util.spec_from_file_location("number_keys_migration", MIGRATION)
migration = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(migration)

CERTIFICATE = ("INSERT INTO certificate (id, product_id, number, stars, score, decision_number, decision_date, authority,"
               " level, valid_from, valid_until, created_at, verification_code)"
               " VALUES (:id, 1, :number, :stars, :score, '1/QĐ', :decided, :authority, :level, :decided, :until,"
               " '2026-01-01 00:00:00', :code)")

WITH_KEY = CERTIFICATE.replace("verification_code)", "verification_code, number_key)").replace(":code)", ":code, :key)")


def upgrade(app, revision):
    """Alembic's own upgrade (Flask-Migrate's would turn the refusal into an exit). Its env.py configures
    logging from alembic.ini: the test session's logging is put back as it was afterwards."""
    root = logging.getLogger()
    named = {name: logging.getLogger(name).level for name in ("sqlalchemy.engine", "alembic", "flask_migrate")}
    handlers, level = root.handlers[:], root.level
    try:
        with app.app_context():
            command.upgrade(app.extensions["migrate"].migrate.get_config(), revision)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, named_level in named.items():
            logging.getLogger(name).setLevel(named_level)


def row(id, number, stars=3, score=60, level="province", decided=date(2026, 1, 5), authority="UBND tỉnh Quảng Ngãi",
        until=date(2029, 1, 4)):
    return {"id": id, "number": number, "stars": stars, "score": score, "level": level, "decided": decided,
            "authority": authority, "until": until, "code": f"CODE{id:06d}"}


@pytest.fixture
def old_database(tmp_path):
    """A database at the revision before this migration (SQLite, as `make run` makes it)."""
    url = f"sqlite:///{tmp_path / 'ocop.db'}"
    app = create_app(type("Config", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url,
                                                    "MEDIA_ROOT": str(tmp_path / "media"),
                                                    "SEARCH_INDEX_DIR": str(tmp_path / "index")}))
    upgrade(app, migration.down_revision)
    engine = create_engine(url)
    yield app, engine
    engine.dispose()


def test_the_migration_stops_on_certificates_that_break_the_rules_then_keys_the_rest(old_database):
    app, engine = old_database
    with engine.begin() as connection:
        for values in (row(1, "091/2026/OCOP"), row(2, "091/2026/ocop "),  # the same number once typed alike
                       row(3, "092/2026/OCOP", stars=5, score=95),  # 5★ at the province
                       row(4, "093/2024/OCOP", stars=4, score=80, level="district", decided=date(2024, 3, 1),
                           until=date(2027, 2, 28), authority="UBND huyện Lý Sơn"),
                       row(5, "094/2026/OCOP", level="district", authority="UBND huyện Lý Sơn"),  # after June 2025
                       row(6, "095/2024/OCOP", level="district", decided=date(2024, 3, 1), until=date(2027, 2, 28),
                           authority="UBND huyện Lý Sơn")):  # fine
            connection.execute(text(CERTIFICATE), values)
    with pytest.raises(RuntimeError) as refused:
        upgrade(app, migration.revision)
    message = str(refused.value)
    assert "4 certificate(s) break the certificate rules" in message
    for number in ("#2 '091/2026/ocop '", "#3 '092/2026/OCOP'", "#4 '093/2024/OCOP'", "#5 '094/2026/OCOP'"):
        assert number in message
    assert "#6" not in message
    assert "number_key" not in {column["name"] for column in inspect(engine).get_columns("certificate")}

    with engine.begin() as connection:  # the office corrects them
        connection.execute(text("UPDATE certificate SET number = '091/2026/OCOP-B' WHERE id = 2"))
        connection.execute(text("UPDATE certificate SET level = 'central', authority = 'Bộ NN&MT' WHERE id = 3"))
        connection.execute(text("UPDATE certificate SET stars = 3, score = 65 WHERE id = 4"))
        connection.execute(text("UPDATE certificate SET level = 'province', authority = 'UBND tỉnh Quảng Ngãi'"
                                " WHERE id = 5"))
    upgrade(app, migration.revision)
    with engine.connect() as connection:
        keys = dict(connection.execute(text("SELECT id, number_key FROM certificate")).all())
        assert keys[1] == "091/2026/ocop" and keys[2] == "091/2026/ocop-b"
    with engine.connect() as connection:  # the database now holds the rules itself
        with pytest.raises(Exception, match="UNIQUE"):
            connection.execute(text(WITH_KEY), {**row(7, "091/2026/OCOP"), "key": "091/2026/ocop"})
        with pytest.raises(Exception, match="CHECK"):
            connection.execute(text(WITH_KEY), {**row(8, "X-8", stars=5, score=95), "key": "x-8"})
