"""The embedded default is an SQLite file, where one connection writes at a time: a request that has
written and then counts a rate limit must not wait for its own lock (it used to time out: a 503)."""
import pytest
from sqlalchemy import func, select

from storefront import create_app
from storefront.accounts.models import User
from storefront.config import TestConfig
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage

from shop import ShopClient


@pytest.fixture
def file_app(tmp_path):
    app = create_app(type("FileDatabase", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shop.db'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 1}},
        "MEDIA_ROOT": str(tmp_path / "media"), "SEARCH_INDEX_DIR": str(tmp_path / "index")}))
    app.test_client_class = ShopClient
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_registration_counts_its_mail_limit_after_writing_without_waiting_for_itself(file_app):
    client = file_app.test_client()
    response = client.post("/register", data={"name": "Lan", "email": "lan@example.vn",
                                              "password": "Một-mật-khẩu-rất-khó-đoán-2026",
                                              "confirm": "Một-mật-khẩu-rất-khó-đoán-2026"})
    assert response.status_code == 302, response.status_code
    with file_app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1

