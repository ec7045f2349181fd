"""Producer accounts: invited by a one-time link that expires, works once, and cannot be forged."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storefront.accounts import operations as account_operations
from storefront.accounts.models import Role, User
from storefront.audit.models import AuditEntry
from storefront.clock import utcnow
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage

from backoffice import admin_client  # noqa: F401  (fixture)

NEW_PASSWORD = "một-mật-khẩu-mới-dài"


def invite(admin_client, producer, email="chi.lan@example.vn"):
    response = admin_client.post("/admin/users/invite",
                                 data={"email": email, "name": "Chị Lan", "producer": producer.slug})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)
                                 .order_by(OutboxMessage.id.desc())).first()
    link = re.search(r"http://localhost(/set-password/\S+)", message.body).group(1)
    return message, link


def test_an_invited_producer_chooses_a_password_and_lands_in_its_workspace(app, admin_client, make_producer):
    producer = make_producer(name="HTX Tỏi Lý Sơn")
    db.session.commit()
    message, link = invite(admin_client, producer)
    user = db.session.scalar(select(User).where(User.email == "chi.lan@example.vn"))
    assert (user.role, user.producer_id, user.name) == (Role.PRODUCER, producer.id, "Chị Lan")
    assert message.kind == "invite" and "HTX Tỏi Lý Sơn" in message.body and "72" in message.body
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.object_type == "user")) == "user.invite"
    assert "password_hash" not in db.session.scalar(select(AuditEntry)).changes

    visitor = app.test_client()
    page = visitor.get(link)
    assert page.status_code == 200 and "chi.lan@example.vn" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    short = visitor.post(link, data={"password": "ngắn", "confirm": "ngắn"})
    assert short.status_code == 400
    response = visitor.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.location.endswith("/producer/")
    assert visitor.get("/producer/").status_code == 200
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD)


def test_a_used_link_does_not_work_twice(app, admin_client, make_producer):
    producer = make_producer()
    db.session.commit()
    _, link = invite(admin_client, producer)
    app.test_client().post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again = app.test_client()
    page = again.get("/en" + link)
    assert page.status_code == 410 and "already used" in page.get_data(as_text=True)
    response = again.post(link, data={"password": "mật-khẩu-của-kẻ-khác", "confirm": "mật-khẩu-của-kẻ-khác"})
    assert response.status_code == 410
    user = db.session.scalar(select(User).where(User.email == "chi.lan@example.vn"))
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused(app, admin_client, make_producer, monkeypatch):
    producer = make_producer()
    db.session.commit()
    _, link = invite(admin_client, producer)
    later = utcnow() + timedelta(hours=app.config["INVITE_MAX_AGE_HOURS"], minutes=1)
    monkeypatch.setattr(account_operations, "utcnow", lambda: later)
    response = app.test_client().post("/en" + link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410 and "This link has expired." in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "chi.lan@example.vn"))
    assert not user.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),   # signature broken
    lambda token: "x" + token,                                                  # payload changed
    lambda token: "garbage",
])
def test_a_tampered_link_is_refused(app, admin_client, make_producer, tamper):
    producer = make_producer()
    db.session.commit()
    _, link = invite(admin_client, producer)
    token = link.removeprefix("/set-password/")
    response = app.test_client().post(f"/en/set-password/{tamper(token)}",
                                      data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410 and "This link is not valid." in response.get_data(as_text=True)


def test_a_token_signed_for_another_purpose_or_key_is_refused(app, admin_client, make_producer):
    from itsdangerous import URLSafeTimedSerializer

    producer = make_producer()
    db.session.commit()
    invite(admin_client, producer)
    user = db.session.scalar(select(User).where(User.email == "chi.lan@example.vn"))
    payload = {"user": user.id, "password": account_operations._password_fingerprint(user)}
    for serializer in (URLSafeTimedSerializer("another-key", salt=account_operations.INVITE_SALT),
                       URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="password-reset")):
        response = app.test_client().get(f"/set-password/{serializer.dumps(payload)}")
        assert response.status_code == 410


def test_a_new_link_voids_the_old_one(app, admin_client, make_producer):
    producer = make_producer()
    db.session.commit()
    _, old_link = invite(admin_client, producer)
    user = db.session.scalar(select(User).where(User.email == "chi.lan@example.vn"))
    assert admin_client.post(f"/admin/users/{user.id}/reinvite").status_code == 302
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert len(messages) == 2
    new_link = re.search(r"http://localhost(/set-password/\S+)", messages[-1].body).group(1)
    assert app.test_client().get(old_link).status_code == 410
    assert app.test_client().get(new_link).status_code == 200


def test_an_invite_is_refused_for_a_taken_email_or_unknown_producer(admin_client, make_producer, make_user):
    producer = make_producer()
    make_user(email="da.co@example.vn")
    db.session.commit()
    taken = admin_client.post("/en/admin/users/invite",
                              data={"email": "Da.Co@example.vn", "name": "", "producer": producer.slug})
    assert taken.status_code == 400 and "An account with this email already exists." in taken.get_data(as_text=True)
    unknown = admin_client.post("/en/admin/users/invite",
                                data={"email": "moi@example.vn", "name": "", "producer": "khong-co"})
    assert unknown.status_code == 400 and "No producer has this web address name." in unknown.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_closed_account_is_signed_out_and_its_link_stops_working(app, admin_client, make_producer, make_user):
    producer = make_producer()
    db.session.commit()
    _, link = invite(admin_client, producer)
    user = db.session.scalar(select(User).where(User.email == "chi.lan@example.vn"))
    other = make_user(role=Role.PRODUCER, producer=producer, email="anh.ba@example.vn")
    db.session.commit()
    signed_in = app.test_client()
    signed_in.post("/sign-in", data={"email": other.email, "password": "mật-khẩu-đủ-dài-1"})
    assert signed_in.get("/producer/").status_code == 200
    for account in (user, other):
        assert admin_client.post(f"/admin/users/{account.id}/close").status_code == 302
    assert signed_in.get("/producer/").status_code == 302  # sent to sign in again
    assert app.test_client().get(link).status_code == 410
    assert [entry.action for entry in db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "user.close"))] == ["user.close", "user.close"]
    assert admin_client.post(f"/admin/users/{other.id}/reopen").status_code == 302
    db.session.refresh(other)
    assert other.active


def test_the_invitation_link_is_on_the_public_address_not_the_host_the_request_named(app, admin_client,
                                                                                       make_producer, monkeypatch):
    """A Host header is the client's to forge: a password link must not follow it."""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://ocop.example.vn")
    producer = make_producer()
    db.session.commit()
    admin_client.post("/admin/users/invite", data={"email": "lan@example.vn", "name": "Lan", "producer": producer.slug})
    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.recipient == "lan@example.vn"))
    assert "https://ocop.example.vn/set-password/" in body and "localhost" not in body
