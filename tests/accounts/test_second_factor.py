"""The second factor (TOTP): enrolment, signing in with a code or a recovery code, and every refusal:
wrong, replayed, throttled, expired or forged steps change nothing and say so in the visitor's language."""
import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select, update

from storefront.accounts import operations as account_operations
from storefront.accounts.models import RecoveryCode, Role, SecondFactor, SignInThrottle, User, UserSession
from storefront.accounts.second_factor import current_step, decrypt_secret
from storefront.audit.models import AuditEntry
from storefront.clock import utcnow
from storefront.extensions import db

from account_mail import link_in, messages_to
from shared import PASSWORD, TOTP_SECRET
from shop import second_factor_code


@pytest.fixture
def browser(app):
    """A client that shows the code page instead of answering it."""
    client = app.test_client()
    client.answers_second_factor = False
    return client


def code_for(secret: str, offset: int = 0) -> str:
    return pyotp.TOTP(secret).generate_otp(current_step() + offset)


def password_step(client, user, lang="", **fields):
    db.session.commit()
    return client.post(f"{lang}/sign-in", data={"email": user.email, "password": PASSWORD, **fields})


def actions(user) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == user.id,
                                                                  AuditEntry.object_type == "user")
                                   .order_by(AuditEntry.id)))


def enrol_on_page(client, lang="", password=None) -> tuple[str, list[str]]:
    """Set the second factor up through the page as its owner would, typing the key shown as text."""
    page = client.get(f"{lang}/account/second-factor/setup")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html  # the QR code
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', html)[1].replace(" ", "")
    data = {"code": code_for(secret)}
    if password:
        data["current_password"] = password
    answer = client.post(f"{lang}/account/second-factor/setup", data=data)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", answer.get_data(as_text=True))
    return secret, codes


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_an_office_account_sets_up_its_second_factor_before_any_page(app, make_user, browser):
    office = make_user(role=Role.CERTIFICATE_OFFICER, email="can.bo@ocop.vn", second_factor=False)
    response = password_step(browser, office, next="/admin/certificates/")
    assert response.status_code == 302 and response.location == "/account/second-factor/setup"
    assert not signed_in(browser)  # nothing opens before the factor is set up
    wrong = browser.post("/account/second-factor/setup", data={"code": "000000"})
    assert wrong.status_code == 400 and "Mã này không đúng" in wrong.get_data(as_text=True)
    assert db.session.scalar(select(func.count(SecondFactor.id))) == 0
    secret, codes = enrol_on_page(browser)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert signed_in(browser)
    factor = db.session.scalar(select(SecondFactor))
    assert factor.user_id == office.id and secret not in factor.secret  # stored encrypted
    assert decrypt_secret(factor.secret) == secret
    assert all(code.replace("-", "") not in hashed for code in codes
               for hashed in db.session.scalars(select(RecoveryCode.code_hash)))
    assert actions(office) == ["user.second_factor_enrol"]


def test_an_office_session_without_a_factor_is_sent_to_set_one_up(app, make_user, sign_in):
    office = make_user(role=Role.ADMIN, second_factor=False)
    db.session.commit()
    client = app.test_client()
    token = account_operations.start_session(db.session.get(User, office.id))
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = token
    response = client.get("/en/admin/")
    assert response.status_code == 302 and response.location.endswith("/account/second-factor/setup")
    assert client.get("/account/second-factor/setup").status_code == 200


@pytest.mark.parametrize("lang,wrong_words", [("", "Mã này không đúng"), ("/en", "This code is not right")])
def test_a_shopper_turns_it_on_and_signs_in_with_a_code_that_works_once(app, make_user, sign_in, browser, lang,
                                                                         wrong_words):
    lan = make_user(email="lan@example.vn")
    client = sign_in(lan)
    assert "second-factor" in client.get(f"{lang}/account").get_data(as_text=True)
    secret, _codes = enrol_on_page(client, lang)
    client.post("/sign-out")
    response = password_step(browser, lan, lang, next="/cart")
    assert response.status_code == 302 and response.location == f"{lang}/sign-in/code"
    assert not signed_in(browser)
    page = browser.get(f"{lang}/sign-in/code").get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    wrong = browser.post(f"{lang}/sign-in/code", data={"code": "123456" if code_for(secret, 1) != "123456" else "654321"})
    assert wrong.status_code == 401 and wrong_words in wrong.get_data(as_text=True)
    assert not signed_in(browser)
    code = code_for(secret, 1)  # the enrolment used the current step
    right = browser.post(f"{lang}/sign-in/code", data={"code": code})
    assert right.status_code == 302 and right.location == "/cart"
    assert signed_in(browser)
    # The same code, seen over a shoulder, does not open the account again.
    thief = app.test_client()
    thief.answers_second_factor = False
    password_step(thief, lan, lang)
    replay = thief.post(f"{lang}/sign-in/code", data={"code": code})
    assert replay.status_code == 401 and not signed_in(thief)


def test_a_recovery_code_works_once(app, make_user, sign_in, browser):
    lan = make_user(email="lan@example.vn")
    _secret, codes = enrol_on_page(sign_in(lan))
    password_step(browser, lan)
    browser.get("/sign-in/code?recovery=1")
    response = browser.post("/en/sign-in/code", data={"code": codes[3].upper().replace("-", " "), "recovery": "1"})
    assert response.status_code == 302
    page = browser.get("/en/account")
    assert page.status_code == 200 and "9 are left" in page.get_data(as_text=True)
    other = app.test_client()
    other.answers_second_factor = False
    password_step(other, lan)
    again = other.post("/sign-in/code", data={"code": codes[3]})
    assert again.status_code == 401 and not signed_in(other)
    assert db.session.scalar(select(func.count(RecoveryCode.id)).where(RecoveryCode.used_at.is_(None))) == 9
    assert "user.recovery_code_used" in actions(lan)


def test_wrong_codes_make_the_owner_wait_but_never_lock_them_out(app, make_user, browser):
    office = make_user(role=Role.ADMIN)
    password_step(browser, office)
    for _ in range(5):
        assert browser.post("/sign-in/code", data={"code": "000000"}).status_code == 401
    refused = browser.post("/en/sign-in/code", data={"code": code_for(TOTP_SECRET)})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Too many wrong codes" in refused.get_data(as_text=True)
    assert not signed_in(browser)
    # Once the wait is over, the right code works and the count starts again.
    db.session.execute(update(SignInThrottle).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert browser.post("/sign-in/code", data={"code": code_for(TOTP_SECRET)}).status_code == 302
    assert signed_in(browser)
    assert db.session.scalar(select(func.count()).select_from(SignInThrottle)
                             .where(SignInThrottle.key == f"second-factor:{office.id}")) == 0


def test_the_owners_phone_keeps_its_own_budget_while_someone_else_guesses(app, make_user, browser):
    office = make_user(role=Role.ADMIN)
    password_step(browser, office)
    assert browser.post("/sign-in/code", data={"code": code_for(TOTP_SECRET)}).status_code == 302
    browser.post("/sign-out")
    # Someone who learnt the password tries codes from elsewhere until the account makes them wait.
    attacker = app.test_client()
    attacker.answers_second_factor = False
    password_step(attacker, office)
    for _ in range(5):
        assert attacker.post("/sign-in/code", data={"code": "000000"}).status_code == 401
    assert attacker.post("/sign-in/code", data={"code": "000000"}).status_code == 429
    # The owner's phone, where the second factor was passed before, is not made to wait.
    password_step(browser, office)
    code = second_factor_code(office.id)
    db.session.commit()
    assert browser.post("/sign-in/code", data={"code": code}).status_code == 302
    assert signed_in(browser) and not signed_in(attacker)


def test_an_expired_forged_or_outdated_password_step_is_refused(app, make_user, browser, monkeypatch):
    office = make_user(role=Role.ADMIN)
    # Forged: no marker the shop signed.
    with browser.session_transaction() as session:
        session["second_factor_pending"] = '{"user": %d}' % office.id
    forged = browser.post("/en/sign-in/code", data={"code": code_for(TOTP_SECRET)})
    assert forged.status_code == 410 and "Sign in again" in forged.get_data(as_text=True)
    # Expired: ten minutes after the password.
    password_step(browser, office)
    later = utcnow() + timedelta(minutes=11)
    monkeypatch.setattr(account_operations, "utcnow", lambda: later)
    expired = browser.post("/sign-in/code", data={"code": code_for(TOTP_SECRET)})
    assert expired.status_code == 410 and "Đăng nhập lại" in expired.get_data(as_text=True)
    monkeypatch.undo()
    # The password changed since the password step.
    password_step(browser, office)
    db.session.get(User, office.id).set_password("một-mật-khẩu-khác-hẳn")
    db.session.commit()
    outdated = browser.post("/sign-in/code", data={"code": code_for(TOTP_SECRET)})
    assert outdated.status_code == 410
    assert not signed_in(browser)
    assert db.session.scalar(select(func.count(UserSession.id))) == 0
    assert db.session.get(SecondFactor, db.session.scalar(select(SecondFactor.id))).last_used_step == 0


def test_a_password_reset_link_still_asks_for_the_code(app, make_user, browser):
    office = make_user(role=Role.ADMIN, email="office@ocop.vn")
    db.session.commit()
    browser.post("/forgot-password", data={"email": office.email})
    link = link_in(messages_to(office.email)[-1], "reset-password")
    new = "một-mật-khẩu-mới-dài"
    response = browser.post(link, data={"password": new, "confirm": new})
    assert response.status_code == 302 and response.location == "/sign-in/code"
    assert not signed_in(browser)
    assert browser.post("/sign-in/code", data={"code": code_for(TOTP_SECRET)}).status_code == 302
    assert signed_in(browser)


def test_the_office_cannot_turn_it_off_but_a_shopper_can(app, make_user, sign_in):
    office = make_user(role=Role.ORDER_DESK)
    client = sign_in(office)
    refused = client.post("/en/account/second-factor/turn-off", data={"current_password": PASSWORD})
    assert refused.status_code == 403 and "must keep a second factor" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(SecondFactor.id))) == 1
    client.post("/sign-out")
    lan = make_user(email="lan@example.vn")
    shopper = sign_in(lan)
    enrol_on_page(shopper)
    wrong = shopper.post("/account/second-factor/turn-off", data={"current_password": "không-phải"})
    assert wrong.status_code == 400
    assert shopper.post("/account/second-factor/turn-off",
                        data={"current_password": PASSWORD}).status_code == 303
    assert db.session.scalar(select(func.count(SecondFactor.id)).where(SecondFactor.user_id == lan.id)) == 0
    assert actions(lan)[-1] == "user.second_factor_off"


def test_moving_to_a_new_phone_asks_the_password_and_retires_the_old_app(app, make_user, sign_in, browser):
    office = make_user(role=Role.ADMIN)
    client = sign_in(office)
    page = client.get("/account/second-factor/setup").get_data(as_text=True)
    assert 'name="current_password"' in page
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page)[1].replace(" ", "")
    refused = client.post("/account/second-factor/setup", data={"code": code_for(secret), "current_password": "sai"})
    assert refused.status_code == 400
    assert decrypt_secret(db.session.scalar(select(SecondFactor.secret))) == TOTP_SECRET
    new_secret, codes = enrol_on_page(client, password=PASSWORD)
    assert new_secret == secret and len(codes) == 10
    password_step(browser, office)
    assert browser.post("/sign-in/code", data={"code": code_for(TOTP_SECRET, 1)}).status_code == 401
    assert browser.post("/sign-in/code", data={"code": code_for(new_secret, 1)}).status_code == 302
    assert actions(office).count("user.second_factor_enrol") == 1


def test_new_recovery_codes_replace_the_old_ones(app, make_user, sign_in, browser):
    lan = make_user(email="lan@example.vn")
    client = sign_in(lan)
    _secret, old = enrol_on_page(client)
    assert client.post("/account/second-factor/recovery-codes",
                       data={"current_password": "sai-mật-khẩu"}).status_code == 400
    answer = client.post("/account/second-factor/recovery-codes", data={"current_password": PASSWORD})
    new = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", answer.get_data(as_text=True))
    assert answer.status_code == 200 and len(new) == 10 and not set(new) & set(old)
    password_step(browser, lan)
    assert browser.post("/sign-in/code", data={"code": old[0]}).status_code == 401
    assert browser.post("/sign-in/code", data={"code": new[0]}).status_code == 302
    assert actions(lan) == ["user.second_factor_enrol", "user.recovery_codes", "user.recovery_code_used"]


def test_the_state_page_and_its_refusals_for_visitors(app, make_user, sign_in, browser):
    assert browser.get("/account/second-factor").status_code == 302
    assert browser.get("/account/second-factor/setup").status_code == 302
    assert browser.post("/sign-in/code", data={"code": "123456"}).status_code == 410
    office = make_user(role=Role.VIEWER)
    page = sign_in(office).get("/en/account/second-factor").get_data(as_text=True)
    assert "recovery codes are left" in page and "Move it to a new phone" in page and "Turn off" not in page
