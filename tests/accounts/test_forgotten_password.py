"""A forgotten password: "Quên mật khẩu?" on the sign-in page, the same answer for any address, a link by
e-mail that works once within an hour, and a new password that signs every other device out. Used,
expired and forged links are refused with a page in the visitor's language, and change nothing."""
from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from storefront.accounts import operations as account_operations
from storefront.accounts.models import User, UserSession
from storefront.audit.models import AuditEntry
from storefront.clock import utcnow
from storefront.extensions import db

from account_mail import link_in, messages_to
from shared import PASSWORD

NEW_PASSWORD = "một-câu-mật-khẩu-mới"


def ask_for_link(app, email, lang="", address="10.0.0.1"):
    return app.test_client().post(f"{lang}/forgot-password", data={"email": email},
                                  environ_base={"REMOTE_ADDR": address})


def reset_link(email, lang="") -> str:
    return link_in(messages_to(email, "password-reset")[-1], "reset-password")


def choose(client, link, password=NEW_PASSWORD):
    return client.post(link, data={"password": password, "confirm": password})


def live_sessions(user) -> list[UserSession]:
    return db.session.scalars(select(UserSession).where(UserSession.user_id == user.id,
                                                        UserSession.ended_at.is_(None))).all()


def password_is(user, password) -> bool:
    return db.session.get(User, user.id).check_password(password)


@pytest.fixture
def lan(make_user):
    user = make_user(email="lan@example.vn", name="Lan")
    db.session.commit()
    return user


@pytest.mark.parametrize("lang,words", [("", "Quên mật khẩu?"), ("/en", "Forgot your password?")])
def test_the_sign_in_page_links_to_the_forgotten_password_page(client, lang, words):
    page = client.get(f"{lang}/sign-in").get_data(as_text=True)
    assert f'<a href="{lang}/forgot-password">{words}</a>' in page
    assert client.get(f"{lang}/forgot-password").status_code == 200


def test_the_answer_is_the_same_for_an_account_a_closed_one_and_no_account(app, make_user):
    make_user(email="lan@example.vn")
    make_user(email="dong@example.vn", active=False)
    db.session.commit()
    pages = []
    for email in ("lan@example.vn", "dong@example.vn", "ai.do@example.vn"):
        browser = app.test_client()
        answer = browser.post("/forgot-password", data={"email": email})
        assert (answer.status_code, answer.location) == (302, "/forgot-password/sent")
        pages.append(browser.get(answer.location).get_data(as_text=True))
    assert pages[0] == pages[1] == pages[2]
    assert "trong vòng 1 giờ" in pages[0]
    assert [len(messages_to(e)) for e in ("lan@example.vn", "dong@example.vn", "ai.do@example.vn")] == [1, 0, 0]


def test_the_email_is_in_the_visitors_language_and_says_one_hour(app, lan):
    ask_for_link(app, "LAN@example.vn ", lang="/en")
    [message] = messages_to("lan@example.vn")
    assert message.subject == "Choose a new password for OCOP Quảng Ngãi"
    assert "within an hour (it works once)" in message.body
    assert reset_link("lan@example.vn").startswith("/en/reset-password/")
    ask_for_link(app, "lan@example.vn")
    assert "trong vòng 1 giờ (liên kết chỉ dùng được một lần)" in messages_to("lan@example.vn")[-1].body


def test_a_new_password_signs_every_other_device_out_and_is_audited(app, lan, sign_in):
    other_device = sign_in(lan)
    third_device = app.test_client()
    third_device.post("/sign-in", data={"email": lan.email, "password": PASSWORD, "remember": "y"})
    assert len(live_sessions(lan)) == 2
    ask_for_link(app, lan.email)
    browser = app.test_client()
    response = choose(browser, reset_link(lan.email))
    assert response.status_code == 302 and response.location == "/account"
    assert browser.get("/account").status_code == 200
    assert other_device.get("/account").status_code == 302 and third_device.get("/account").status_code == 302
    [live] = live_sessions(lan)  # only the one just opened by the link
    assert password_is(lan, NEW_PASSWORD)
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.reset_password")).all()
    assert (entry.actor_id, entry.object_id, entry.changes) == (lan.id, lan.id, {"password": ["…", "chosen"]})


@pytest.mark.parametrize("lang,words", [("", "Liên kết này đã được dùng"), ("/en", "This link was already used")])
def test_a_used_link_is_refused_and_changes_nothing(app, lan, lang, words):
    ask_for_link(app, lan.email, lang=lang)
    link = reset_link(lan.email)
    first = app.test_client()
    assert choose(first, link).status_code == 302
    sessions_before = len(live_sessions(lan))
    again = app.test_client()
    for response in (again.get(link), choose(again, link, "một-mật-khẩu-khác-hẳn")):
        assert response.status_code == 410 and words in response.get_data(as_text=True)
    assert password_is(lan, NEW_PASSWORD) and len(live_sessions(lan)) == sessions_before
    assert again.get(f"{lang}/account").status_code == 302


@pytest.mark.parametrize("lang,words", [("", "Liên kết này đã hết hạn"), ("/en", "This link has expired")])
def test_the_link_works_for_one_hour_only(app, lan, monkeypatch, lang, words):
    ask_for_link(app, lan.email, lang=lang)
    link = reset_link(lan.email)
    sent = utcnow()
    monkeypatch.setattr(account_operations, "utcnow", lambda: sent + timedelta(minutes=59))
    assert app.test_client().get(link).status_code == 200
    monkeypatch.setattr(account_operations, "utcnow", lambda: sent + timedelta(minutes=61))
    browser = app.test_client()
    for response in (browser.get(link), choose(browser, link)):
        assert response.status_code == 410 and words in response.get_data(as_text=True)
    assert password_is(lan, PASSWORD) and live_sessions(lan) == []


def forged_links(app, user) -> dict:
    """Links a forger could make: signed with another key, altered, or a link of another kind."""
    with app.test_request_context():
        genuine = account_operations._link_token(user, account_operations.RESET_SALT)
        confirmation = account_operations._link_token(user, account_operations.CONFIRM_SALT)
    other_key = URLSafeTimedSerializer("not-the-shop-key", salt=account_operations.RESET_SALT).dumps(
        {"user": user.id, "password": account_operations._password_fingerprint(user)})
    payload, rest = genuine.split(".", 1)
    altered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + rest
    return {"another key": other_key, "altered": altered, "a confirmation link": confirmation,
            "cut short": genuine[:-5], "not a token": "%E2%80%AE..%20", "very long": "x" * 3000}


@pytest.mark.parametrize("lang,words", [("", "Liên kết này không hợp lệ"), ("/en", "This link is not valid")])
def test_a_forged_link_is_refused_and_changes_nothing(app, lan, lang, words):
    for name, token in forged_links(app, lan).items():
        browser = app.test_client()
        for response in (browser.get(f"{lang}/reset-password/{token}"),
                         choose(browser, f"{lang}/reset-password/{token}")):
            assert response.status_code in (404, 410), name
            if response.status_code == 410:
                assert words in response.get_data(as_text=True), name
    assert password_is(lan, PASSWORD) and live_sessions(lan) == []
    assert db.session.scalars(select(AuditEntry)).all() == []


@pytest.mark.parametrize("password,confirm,words", [
    ("password12", "password12", "too common"),
    (NEW_PASSWORD, NEW_PASSWORD + "x", "The two passwords differ."),
    ("", "", "Choose a password."),
])
def test_a_refused_password_changes_nothing_and_the_link_still_works(app, lan, password, confirm, words):
    ask_for_link(app, lan.email, lang="/en")
    link = reset_link(lan.email)
    browser = app.test_client()
    refused = browser.post(link, data={"password": password, "confirm": confirm})
    assert refused.status_code == 400 and words in refused.get_data(as_text=True)
    assert password_is(lan, PASSWORD)
    assert choose(browser, link).status_code == 302 and password_is(lan, NEW_PASSWORD)


def test_someone_asking_again_and_again_neither_floods_nor_locks_out_the_owner(app, lan):
    # One address asking over and over is stopped after ten requests an hour…
    answers = [ask_for_link(app, lan.email, lang="/en", address="203.0.113.9") for _ in range(11)]
    assert [a.status_code for a in answers] == [302] * 10 + [429]
    assert "Too many attempts" in answers[-1].get_data(as_text=True)
    # …the owner's mailbox gets three messages at most…
    assert len(messages_to(lan.email)) == 3
    # …the owner, elsewhere, still gets the same answer, and any of the links received still works.
    assert ask_for_link(app, lan.email, address="198.51.100.7").status_code == 302
    browser = app.test_client()
    assert choose(browser, link_in(messages_to(lan.email)[0], "reset-password")).status_code == 302
    assert password_is(lan, NEW_PASSWORD) and browser.get("/account").status_code == 200


def test_guessing_links_from_one_address_does_not_stop_the_owners_link(app, lan):
    ask_for_link(app, lan.email)
    link = reset_link(lan.email)
    guesser = app.test_client()
    statuses = [guesser.get(f"/reset-password/guess{n}", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code
                for n in range(61)]
    assert statuses == [410] * 60 + [429]
    owner = app.test_client()
    assert choose(owner, link).status_code == 302 and password_is(lan, NEW_PASSWORD)
