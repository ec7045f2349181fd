"""Fixtures of the back office's tests: signed-in clients for the OCOP office and for producers."""
import io

import pytest
from PIL import Image

from storefront.accounts.models import Role
from storefront.extensions import db


@pytest.fixture
def admin_client(app, make_user):
    """A test client signed in as an administrator (its own client: other clients may sign in beside it)."""
    user = make_user(role=Role.ADMIN, email="office@ocop.vn")
    db.session.commit()
    client = app.test_client()
    response = client.post("/sign-in", data={"email": user.email, "password": "mật-khẩu-đủ-dài-1"})
    assert response.status_code == 302
    client.user = user
    return client


@pytest.fixture
def producer_client(app, make_user):
    """producer_client(producer) → a test client signed in as an account of that producer."""
    def make(producer):
        user = make_user(role=Role.PRODUCER, producer=producer)
        db.session.commit()
        client = app.test_client()
        response = client.post("/sign-in", data={"email": user.email, "password": "mật-khẩu-đủ-dài-1"})
        assert response.status_code == 302
        client.user = user
        return client
    return make


def photo_bytes(size=(800, 600), format="JPEG", color=(180, 90, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format)
    return buffer.getvalue()


@pytest.fixture
def jpeg():
    return photo_bytes
