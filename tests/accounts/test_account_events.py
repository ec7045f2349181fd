"""Account events in the audit log beside the changes each page audits itself: a registration, and every
sign-in from a browser the account was never signed in on."""
from sqlalchemy import select

from storefront.accounts.models import Role
from storefront.audit.models import AuditEntry
from storefront.extensions import db

from shared import PASSWORD

PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"


def entries(action, user_id=None) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.action == action)
    if user_id is not None:
        query = query.where(AuditEntry.object_id == user_id)
    return db.session.scalars(query.order_by(AuditEntry.id)).all()


def test_a_registration_is_audited_without_its_password(client):
    client.post("/register", data={"email": "lan.mua@example.vn", "name": "Lan", "password": "Đi-chợ-Sa-Huỳnh-2026",
                                   "confirm": "Đi-chợ-Sa-Huỳnh-2026"})
    [entry] = entries("user.register")
    assert entry.object_label and "lan.mua@example.vn" in entry.actor_label
    assert "password_hash" not in entry.changes and entry.changes["email"] == [None, "lan.mua@example.vn"]
    client.post("/register", data={"email": "lan.mua@example.vn", "name": "Lan", "password": "Đi-chợ-Sa-Huỳnh-2027",
                                   "confirm": "Đi-chợ-Sa-Huỳnh-2027"})
    assert len(entries("user.register")) == 1  # registering again is no new account


def office_client(app, make_user):
    office = make_user(role=Role.ADMIN, email="thanh.tra@ocop.example.vn")
    db.session.commit()
    client = app.test_client()
    client.know_device_of(office.email)
    client.post("/sign-in", data={"email": office.email, "password": PASSWORD})
    return client


def test_only_a_sign_in_from_a_new_device_is_audited(app, make_user):
    user = make_user(email="hoa@example.vn")
    db.session.commit()
    phone = app.test_client()
    headers = {"User-Agent": PHONE}
    assert phone.post("/sign-in", data={"email": user.email, "password": PASSWORD}, headers=headers).status_code == 302
    [entry] = entries("user.sign_in_new_device", user.id)
    assert entry.changes["device"] == [None, PHONE] and entry.actor_id == user.id
    phone.post("/sign-out", headers=headers)
    phone.post("/sign-in", data={"email": user.email, "password": PASSWORD}, headers=headers)
    assert len(entries("user.sign_in_new_device", user.id)) == 1  # the same phone, known by its cookie
    log = office_client(app, make_user)
    assert "Chrome trên Android" in log.get("/admin/audit").get_data(as_text=True)
    assert "Chrome on Android" in log.get("/en/admin/audit").get_data(as_text=True)
    app.test_client().post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert len(entries("user.sign_in_new_device", user.id)) == 2
    wrong = app.test_client().post("/sign-in", data={"email": user.email, "password": "không-đúng-mật-khẩu"})
    assert wrong.status_code == 401 and len(entries("user.sign_in_new_device", user.id)) == 2
