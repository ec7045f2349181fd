"""Registering never tells whether an address already has an account: the visitor sees the same answer,
and only the owner of the address learns, by e-mail in the visitor's language, what happened."""

import pytest
from sqlalchemy import func, select

from storefront.accounts.models import Role, User, UserSession
from storefront.accounts.operations import request_password_reset
from storefront.accounts.views import account_links
from storefront.extensions import db

from account_mail import link_in, messages_to
from shared import PASSWORD

NEW_PASSWORD = "mot-mat-khau-dai"


def register(client, email, name="Mai", password=NEW_PASSWORD, lang="", **options):
    return client.post(f"{lang}/register", data={"name": name, "email": email, "password": password,
                                                  "confirm": password}, **options)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_new_shopper_confirms_the_address_and_is_signed_in(client):
    response = register(client, "Mai@Example.vn", lang="/en")
    assert response.status_code == 302 and response.location == "/en/register/sent"
    assert "Follow its link within 72 hours" in client.get(response.location).get_data(as_text=True)
    user = db.session.scalar(select(User))
    assert (user.email, user.name, user.role, user.email_confirmed_at) == ("mai@example.vn", "Mai", Role.CUSTOMER,
                                                                          None)
    assert client.get("/en/account").status_code == 302  # not signed in before confirming
    [message] = messages_to("mai@example.vn")
    assert message.kind == "register-confirm" and message.subject == "Confirm your OCOP Quảng Ngãi account"
    link = link_in(message, "register/confirm")
    assert link.startswith("/en/")

    scanner = client.application.test_client()  # a mail scanner opening the link confirms nothing
    page = scanner.get(link)
    assert page.status_code == 200 and "Confirm and sign in" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert db.session.get(User, user.id).email_confirmed_at is None and count(UserSession) == 0

    response = client.post(link)
    assert response.status_code == 302 and response.location == "/en/account"
    assert client.get("/en/account").status_code == 200
    assert db.session.get(User, user.id).email_confirmed_at is not None
    again = client.application.test_client().post(link)
    assert again.status_code == 410 and "already confirmed" in again.get_data(as_text=True)


def test_an_address_that_has_an_account_gets_the_same_answer_and_an_email_instead(app, make_user):
    owner = make_user(email="lan@example.vn", name="Lan")
    db.session.commit()
    password_hash = owner.password_hash
    new, taken = app.test_client(), app.test_client()
    answers = [register(new, "moi@example.vn"), register(taken, "LAN@example.vn")]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0].location == answers[1].location == "/register/sent"
    pages = [new.get("/register/sent").get_data(as_text=True), taken.get("/register/sent").get_data(as_text=True)]
    assert pages[0] == pages[1]

    owner = db.session.get(User, owner.id)
    assert (owner.name, owner.password_hash) == ("Lan", password_hash)  # the account is untouched
    assert count(User) == 2
    [message] = messages_to("lan@example.vn")
    assert message.kind == "register-existing"
    assert message.subject == "Bạn đã có tài khoản OCOP Quảng Ngãi"
    assert "http://localhost/sign-in" in message.body and "Nếu bạn quên mật khẩu" in message.body
    # The link in it chooses a new password; the owner is then signed in.
    link = link_in(message, "reset-password")
    reset = app.test_client()
    assert reset.post(link, data={"password": "một-câu-mật-khẩu-mới", "confirm": "một-câu-mật-khẩu-mới"}
                      ).status_code == 302
    assert reset.get("/account").status_code == 200


def test_the_email_about_an_existing_account_is_in_the_visitors_language(app, make_user):
    make_user(email="lan@example.vn")
    db.session.commit()
    register(app.test_client(), "lan@example.vn", lang="/en")
    [message] = messages_to("lan@example.vn")
    assert message.subject == "You already have an OCOP Quảng Ngãi account"
    assert "http://localhost/en/sign-in" in message.body and "If you forgot your password" in message.body


def test_a_registration_not_yet_confirmed_is_replaced_by_the_next_one(app):
    first, second = app.test_client(), app.test_client()
    register(first, "mai@example.vn", name="Kẻ gõ nhầm", password="mat-khau-cua-nguoi-dau")
    first_link = link_in(messages_to("mai@example.vn")[0], "register/confirm")
    register(second, "mai@example.vn", name="Mai", password=NEW_PASSWORD)
    second_link = link_in(messages_to("mai@example.vn")[1], "register/confirm")
    assert first.post(first_link).status_code == 410
    assert second.post(second_link).status_code == 302
    user = db.session.scalar(select(User))
    assert (user.name, user.check_password(NEW_PASSWORD), count(User)) == ("Mai", True, 1)


def test_signing_in_before_confirming_sends_the_link_again(app, client):
    register(client, "mai@example.vn")
    response = client.post("/en/sign-in", data={"email": "mai@example.vn", "password": NEW_PASSWORD})
    assert response.status_code == 302 and response.location == "/en/register/sent"
    assert "Confirm your email address first" in client.get(response.location).get_data(as_text=True)
    assert client.get("/en/account").status_code == 302
    assert [m.kind for m in messages_to("mai@example.vn")] == ["register-confirm", "register-confirm"]


def test_an_address_receives_a_few_account_emails_an_hour_at_most(app):
    for n in range(6):
        response = register(app.test_client(), "mai@example.vn", environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
        assert response.status_code == 302 and response.location == "/register/sent"
    assert len(messages_to("mai@example.vn")) == 3


def test_links_in_emails_use_the_public_address_whatever_host_was_asked(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://ocop.example.vn")
    make_user(email="lan@example.vn")
    db.session.commit()
    with app.test_request_context("/forgot-password", method="POST", headers={"Host": "evil.example"}):
        request_password_reset("lan@example.vn", account_links())
    [message] = messages_to("lan@example.vn")
    assert "https://ocop.example.vn/reset-password/" in message.body and "evil.example" not in message.body


def test_a_forgotten_password_gets_the_same_answer_for_any_address(app, make_user):
    user = make_user(email="lan@example.vn")
    db.session.commit()
    old_session = app.test_client()
    old_session.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    known, unknown = app.test_client(), app.test_client()
    answers = [known.post("/en/forgot-password", data={"email": "lan@example.vn"}),
               unknown.post("/en/forgot-password", data={"email": "ai.do@example.vn"})]
    assert [(a.status_code, a.location) for a in answers] == [(302, "/en/forgot-password/sent")] * 2
    assert known.get("/en/forgot-password/sent").get_data() == unknown.get("/en/forgot-password/sent").get_data()
    assert messages_to("ai.do@example.vn") == []
    [message] = messages_to("lan@example.vn")
    assert message.kind == "password-reset" and "within an hour" in message.body
    link = link_in(message, "reset-password")

    weak = known.post(link, data={"password": "password12", "confirm": "password12"})
    assert weak.status_code == 400 and "too common" in weak.get_data(as_text=True)
    strong = "một-câu-mật-khẩu-mới"
    assert known.post(link, data={"password": strong, "confirm": strong}).status_code == 302
    assert known.get("/account").status_code == 200
    assert old_session.get("/account").status_code == 302  # every other device was signed out
    assert app.test_client().get(link).status_code == 410  # the link works once
    assert db.session.get(User, user.id).check_password(strong)


@pytest.mark.parametrize("path", ["/register/confirm/garbage", "/reset-password/garbage"])
def test_a_broken_link_is_refused_in_the_visitors_language(client, path):
    english = client.get("/en" + path)
    assert english.status_code == 410 and "This link is not valid." in english.get_data(as_text=True)
    assert client.get(path).status_code == 410
