"""Guest orders join the account: once the e-mail is confirmed as the owner's (registration, a change of
address) and the account has the same phone, the orders placed without signing in with both appear in the
account's history and their e-mailed link opens them directly. Orders of another address or another phone,
or already in an account, never join; each join is audited."""
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from storefront.accounts.models import User
from storefront.audit.models import AuditEntry
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.orders.models import Order

from account_mail import link_in, messages_to
from shared import PASSWORD

NEW_PASSWORD = "mot-mat-khau-dai-hon"


@pytest.fixture
def guest_orders(app, make_buyable, buy):
    """Orders placed without an account: {name: order number}."""
    product = make_buyable(stock=50)
    placed = {}
    for name, fields in {
        "mine": {"email": "lan@example.vn", "phone": "0912 345 678"},
        "mine again": {"email": "Lan@Example.vn", "phone": "+84 912 345 678"},
        "other phone": {"email": "lan@example.vn", "phone": "0987 654 321"},
        "other email": {"email": "hoa@example.vn", "phone": "0912 345 678"},
        "no email": {"email": "", "phone": "0912 345 678"},
    }.items():
        response = buy(app.test_client(), {product: 1}, **fields)
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:300]
        placed[name] = db.session.scalars(select(Order.number).order_by(Order.id.desc())).first()
    return placed


def owners(placed) -> dict:
    return {name: db.session.scalar(select(Order.user_id).where(Order.number == number))
            for name, number in placed.items()}


def register_and_confirm(client, email="lan@example.vn", phone="0912345678", lang=""):
    client.post(f"{lang}/register", data={"name": "Lan", "email": email, "phone": phone,
                                          "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    link = link_in(messages_to(email.lower(), "register-confirm")[-1], "register/confirm")
    return client.post(link)


def order_link(number) -> str:
    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.kind == "order-received",
                                                              OutboxMessage.body.contains(number)))
    return urlsplit(re.search(r"https?://\S+", body)[0]).path


def test_confirming_a_registration_joins_the_orders_of_that_email_and_phone(app, guest_orders):
    client = app.test_client()
    response = register_and_confirm(client, lang="/en")
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "lan@example.vn"))
    assert user.phone == "0912345678"
    assert owners(guest_orders) == {"mine": user.id, "mine again": user.id, "other phone": None,
                                    "other email": None, "no email": None}
    page = client.get("/en/account").get_data(as_text=True)
    assert guest_orders["mine"] in page and guest_orders["mine again"] in page
    assert guest_orders["other phone"] not in page and guest_orders["other email"] not in page
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "order.join_account")).all()
    assert sorted(e.object_label for e in entries) == sorted([guest_orders["mine"], guest_orders["mine again"]])
    assert all(e.actor_id == user.id and e.changes == {"user_id": [None, user.id]} for e in entries)


def test_the_emailed_order_link_opens_directly_once_signed_in_as_the_owner(app, guest_orders):
    link = order_link(guest_orders["mine"])
    assert 'id="order-status"' not in app.test_client().get(link).get_data(as_text=True)  # asks for the phone
    other_device = app.test_client()
    register_and_confirm(other_device)
    page = other_device.get(link)
    assert page.status_code == 200 and 'id="order-status"' in page.get_data(as_text=True)
    # Another order of the same address but another phone still asks for its phone.
    other = other_device.get(order_link(guest_orders["other phone"])).get_data(as_text=True)
    assert 'id="order-status"' not in other and 'name="phone"' in other


def test_a_registration_without_a_phone_joins_nothing_until_the_phone_is_saved(app, guest_orders):
    client = app.test_client()
    register_and_confirm(client, phone="")
    assert set(owners(guest_orders).values()) == {None}
    response = client.post("/en/account/profile", data={"profile-name": "Lan", "profile-phone": "0912.345.678"})
    assert response.status_code == 303
    page = client.get("/en/account").get_data(as_text=True)
    assert "2 earlier orders placed with this email and phone are now in your account." in page
    user_id = db.session.scalar(select(User.id).where(User.email == "lan@example.vn"))
    assert owners(guest_orders)["mine"] == user_id and owners(guest_orders)["other phone"] is None
    # Saving another number later joins the orders of that number too, and takes none away.
    client.post("/account/profile", data={"profile-name": "Lan", "profile-phone": "0987654321"})
    assert owners(guest_orders) == {"mine": user_id, "mine again": user_id, "other phone": user_id,
                                    "other email": None, "no email": None}


def test_an_unconfirmed_address_joins_nothing(app, guest_orders):
    app.test_client().post("/register", data={"name": "Lan", "email": "lan@example.vn", "phone": "0912345678",
                                              "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert set(owners(guest_orders).values()) == {None}


def test_a_refused_phone_at_registration_registers_nothing(app):
    response = app.test_client().post("/en/register", data={
        "name": "Lan", "email": "lan@example.vn", "phone": "12345", "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD})
    assert response.status_code == 400 and "Enter a Vietnamese phone number" in response.get_data(as_text=True)
    assert db.session.scalars(select(User)).all() == []


def test_confirming_a_new_address_joins_the_orders_of_that_address(app, guest_orders, make_user, sign_in):
    user = make_user(email="lan.cu@example.vn", phone="0987654321")
    db.session.commit()
    client = sign_in(user)
    client.post("/account/email", data={"email-email": "lan@example.vn", "email-password": PASSWORD})
    link = link_in(messages_to("lan@example.vn", "email-change-confirm")[-1], "account/email/confirm")
    response = client.post(link)
    assert response.status_code == 303
    assert owners(guest_orders) == {"mine": None, "mine again": None, "other phone": user.id,
                                    "other email": None, "no email": None}
    page = client.get("/account").get_data(as_text=True)
    assert "1 đơn hàng đặt trước đây với email và số điện thoại này" in page


def test_an_order_already_in_another_account_never_changes_account(app, make_buyable, buy, make_user, sign_in):
    first = make_user(email="lan@example.vn", phone="0912345678")
    db.session.commit()
    buy(sign_in(first), {make_buyable(): 1})
    order = db.session.scalar(select(Order))
    assert order.user_id == first.id
    # Another account comes to hold the same address and phone (the first one moved away meanwhile).
    first = db.session.get(User, first.id)
    first.email = "lan.cu@example.vn"
    second = make_user(email="lan@example.vn", phone="0912345678")
    db.session.commit()
    client = app.test_client()
    client.post("/sign-in", data={"email": second.email, "password": PASSWORD})
    client.post("/account/profile", data={"profile-name": "Lan", "profile-phone": "0912345678"})
    assert client.get(f"/orders/{order.number}").get_data(as_text=True).count('id="order-status"') == 0
    assert db.session.get(Order, order.id).user_id == first.id


def test_a_guest_order_placed_after_registering_joins_when_its_owner_opens_it(app, make_buyable, buy, make_user,
                                                                             sign_in):
    user = make_user(email="lan@example.vn", phone="0912345678")
    db.session.commit()
    buy(app.test_client(), {make_buyable(): 1})  # on a phone where the account is not signed in
    order = db.session.scalar(select(Order))
    assert order.user_id is None
    page = sign_in(user).get(order_link(order.number))
    assert page.status_code == 200 and 'id="order-status"' in page.get_data(as_text=True)
    assert db.session.get(Order, order.id).user_id == user.id
    assert db.session.scalars(select(AuditEntry.action)).all() == ["order.join_account"]
