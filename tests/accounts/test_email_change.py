"""Changing the account's e-mail address: a one-time link to the new address (24 hours), a notice to the
current one, nothing changed until the link is followed; an address another account uses is never
revealed: the answer is the same, and that address's owner is told instead."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from storefront.accounts import operations as account_operations
from storefront.accounts.models import EmailChange, User
from storefront.audit.models import AuditEntry
from storefront.clock import utcnow
from storefront.extensions import db

from account_mail import link_in, messages_to
from shared import PASSWORD

NEW = "lan.moi@example.vn"


@pytest.fixture
def lan(make_user):
    user = make_user(email="lan@example.vn", name="Lan")
    db.session.commit()
    return user


def ask(client, email, password=PASSWORD, lang=""):
    return client.post(f"{lang}/account/email", data={"email-email": email, "email-password": password})


def confirmation_link(email=NEW) -> str:
    return link_in(messages_to(email, "email-change-confirm")[-1], "account/email/confirm")


def email_of(user) -> str:
    return db.session.get(User, user.id).email


def audit_actions() -> list[str]:
    return db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()


@pytest.mark.parametrize("lang", ["", "/en"])
def test_the_new_address_confirms_the_change(app, lan, sign_in, lang):
    client = sign_in(lan)
    response = ask(client, " Lan.Moi@Example.vn ", lang=lang)
    assert response.status_code == 303 and response.location == f"{lang}/account"
    page = client.get(f"{lang}/account").get_data(as_text=True)
    assert NEW in page and ("Waiting for confirmation" if lang else "Đang chờ xác nhận") in page
    assert email_of(lan) == "lan@example.vn"  # nothing changes before the link is followed
    [notice] = messages_to("lan@example.vn", "email-change-notice")
    assert NEW in notice.body and "/forgot-password" in notice.body
    [message] = messages_to(NEW)
    assert message.subject == ("Confirm your new address at OCOP Quảng Ngãi" if lang
                               else "Xác nhận địa chỉ email mới tại OCOP Quảng Ngãi")
    link = confirmation_link()
    assert link.startswith(f"{lang}/account/email/confirm/")

    scanner = app.test_client()  # a mail scanner opening the link changes nothing
    opened = scanner.get(link)
    assert opened.status_code == 200 and opened.headers["Referrer-Policy"] == "no-referrer"
    assert email_of(lan) == "lan@example.vn"

    confirmed = client.post(link)
    assert confirmed.status_code == 303 and confirmed.location == f"{lang}/account"
    user = db.session.get(User, lan.id)
    assert user.email == NEW and user.email_confirmed_at is not None
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.change_email")).all()
    assert entry.changes["email"] == ["lan@example.vn", NEW] and entry.actor_id == lan.id
    again = app.test_client().post(link)
    assert again.status_code == 410 and ("already used" if lang else "đã được dùng") in again.get_data(as_text=True)
    # The account signs in with its new address only.
    browser = app.test_client()
    assert browser.post("/sign-in", data={"email": "lan@example.vn", "password": PASSWORD}).status_code == 401
    assert browser.post("/sign-in", data={"email": NEW, "password": PASSWORD}).status_code == 302


def test_the_link_works_on_a_device_that_is_not_signed_in(app, lan, sign_in):
    ask(sign_in(lan), NEW)
    other = app.test_client()
    response = other.post(confirmation_link())
    assert response.status_code == 303 and response.location == "/sign-in"
    assert email_of(lan) == NEW and other.get("/account").status_code == 302


def test_an_address_of_another_account_gets_the_same_answer_and_its_owner_is_told(app, lan, make_user):
    make_user(email="minh@example.vn", name="Minh")
    other = make_user(email="hoa@example.vn", name="Hoa")
    db.session.commit()
    taken, free = app.test_client(), app.test_client()
    taken.post("/sign-in", data={"email": lan.email, "password": PASSWORD})
    free.post("/sign-in", data={"email": other.email, "password": PASSWORD})
    answers = [ask(taken, "MINH@example.vn"), ask(free, "hoa.moi@example.vn")]
    assert [(a.status_code, a.location) for a in answers] == [(303, "/account")] * 2
    flashes = [client.get("/account").get_data(as_text=True) for client in (taken, free)]
    assert "Chúng tôi đã gửi một liên kết đến minh@example.vn" in flashes[0]
    assert "Chúng tôi đã gửi một liên kết đến hoa.moi@example.vn" in flashes[1]
    # Both current addresses are told; the owner of the taken one learns someone tried, and nothing is asked.
    assert len(messages_to("lan@example.vn", "email-change-notice")) == 1
    assert len(messages_to("hoa@example.vn", "email-change-notice")) == 1
    [warning] = messages_to("minh@example.vn")
    assert warning.kind == "email-change-taken" and "Nothing was changed" not in warning.body  # in Vietnamese
    assert "Không có gì thay đổi" in warning.body
    assert db.session.scalars(select(EmailChange.new_email)).all() == ["hoa.moi@example.vn"]
    assert email_of(lan) == "lan@example.vn"


@pytest.mark.parametrize("email,password,lang,words", [
    (NEW, "not-my-password", "/en", "This is not your current password."),
    (NEW, "", "", "Hãy nhập mật khẩu hiện tại."),
    ("not-an-address", PASSWORD, "/en", "Enter an email address like name@example.com."),
    ("", PASSWORD, "/en", "Enter your email address."),
    ("LAN@example.vn", PASSWORD, "/en", "This is already your email address."),
    ("lan\u202e@example.vn", PASSWORD, "", "Hãy nhập địa chỉ email"),
    ("a" * 250 + "@example.vn", PASSWORD, "/en", "at most 254 characters"),
])
def test_a_refused_change_writes_and_sends_nothing(lan, sign_in, email, password, lang, words):
    client = sign_in(lan)
    response = ask(client, email, password, lang=lang)
    assert response.status_code == 400 and words in response.get_data(as_text=True)
    assert db.session.scalars(select(EmailChange)).all() == [] and messages_to("lan@example.vn") == []
    assert email_of(lan) == "lan@example.vn" and audit_actions() == []


def test_asking_again_and_again_is_limited(lan, sign_in):
    client = sign_in(lan)
    for n in range(5):
        assert ask(client, f"moi{n}@example.vn").status_code == 303
    refused = ask(client, "moi9@example.vn", lang="/en")
    assert refused.status_code == 429 and "Too many changes of address" in refused.get_data(as_text=True)
    assert len(messages_to("lan@example.vn")) == 3  # three account e-mails an hour to one address at most


@pytest.mark.parametrize("lang,words", [("", "Liên kết này đã hết hạn"), ("/en", "This link has expired")])
def test_the_link_expires_after_a_day(app, lan, sign_in, monkeypatch, lang, words):
    ask(sign_in(lan), NEW, lang=lang)
    link = confirmation_link()
    asked = utcnow()
    monkeypatch.setattr(account_operations, "utcnow", lambda: asked + timedelta(hours=23, minutes=59))
    assert app.test_client().get(link).status_code == 200
    monkeypatch.setattr(account_operations, "utcnow", lambda: asked + timedelta(hours=24, minutes=1))
    browser = app.test_client()
    for response in (browser.get(link), browser.post(link)):
        assert response.status_code == 410 and words in response.get_data(as_text=True)
    assert email_of(lan) == "lan@example.vn"


@pytest.mark.parametrize("lang,words", [("", "Liên kết này không hợp lệ"), ("/en", "This link is not valid")])
def test_a_forged_or_replaced_link_changes_nothing(app, lan, sign_in, lang, words):
    client = sign_in(lan)
    ask(client, NEW)
    first = confirmation_link()
    ask(client, "lan.khac@example.vn")
    for link in (first, f"{lang}/account/email/confirm/{'x' * 43}", f"{lang}/account/email/confirm/{'y' * 500}",
                 first.replace(first[-6:], "AAAAAA")):
        response = app.test_client().post(link if link.startswith(lang + "/account") else lang + link)
        assert response.status_code == 410 and words in response.get_data(as_text=True), link
    assert email_of(lan) == "lan@example.vn" and audit_actions() == []


def test_a_new_password_cancels_a_change_waiting_for_its_link(app, lan, sign_in):
    client = sign_in(lan)
    ask(client, NEW)
    link = confirmation_link()
    client.post("/account/password", data={"password-current_password": PASSWORD,
                                           "password-password": "một-câu-mật-khẩu-mới",
                                           "password-confirm": "một-câu-mật-khẩu-mới"})
    assert app.test_client().post(link).status_code == 410
    assert email_of(lan) == "lan@example.vn"


def test_an_address_taken_before_the_link_is_followed_is_not_given(app, lan, sign_in, make_user):
    ask(sign_in(lan), NEW, lang="/en")
    link = confirmation_link()
    make_user(email=NEW)
    db.session.commit()
    response = app.test_client().post(link)
    assert response.status_code == 410 and "Another account now uses this address" in response.get_data(as_text=True)
    assert email_of(lan) == "lan@example.vn"
