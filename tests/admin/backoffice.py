"""Fixtures of the back office's tests (imported by each test module): signed-in clients, photos."""
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
    client.know_device_of(user.email)
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
        client.know_device_of(user.email)
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


def multipart(fields: dict) -> dict:
    """Keyword arguments posting `fields` ({name: value or (bytes, filename)}) as a multipart body built in
    memory: the test client's own encoder spools bodies over 500 kB to a file it never closes."""
    from werkzeug.datastructures import FileStorage, MultiDict
    from werkzeug.test import encode_multipart

    values = MultiDict()
    for name, value in fields.items():
        if isinstance(value, tuple):
            data, filename = value
            value = FileStorage(io.BytesIO(data), filename=filename, content_type="application/octet-stream")
        values.add(name, value)
    boundary, body = encode_multipart(values)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}
