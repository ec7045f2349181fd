"""Signed-in sessions live on the server: signing out, changing the password, "sign out everywhere" and
closing the account end them, whatever copies of the cookies are still around."""
from datetime import timedelta

from sqlalchemy import select

from storefront.accounts import login as account_login
from storefront.accounts import operations as account_operations
from storefront.accounts import queries as account_queries
from storefront.accounts.models import Role, User, UserSession
from storefront.extensions import db

from shared import PASSWORD

REMEMBER = "remember_token"


def cookies_of(client) -> dict:
    return {name: cookie.value for name in ("session", REMEMBER)
            if (cookie := client.get_cookie(name)) is not None}


def browser_with(app, cookies: dict):
    """Another browser holding copies of these cookies (as a thief would)."""
    browser = app.test_client()
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    return browser


def session_token(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def sessions_of(user) -> list[UserSession]:
    return db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                              .order_by(UserSession.id)).all()


def test_a_session_cookie_copied_before_sign_out_no_longer_opens_the_account(app, client, make_user, sign_in):
    sign_in(make_user(email="lan@example.vn"))
    stolen = cookies_of(client)
    assert browser_with(app, stolen).get("/account").status_code == 200
    assert client.post("/sign-out").status_code == 302
    response = browser_with(app, stolen).get("/en/account")
    assert response.status_code == 302 and "/sign-in" in response.location
    assert "lan@example.vn" not in browser_with(app, stolen).get("/").get_data(as_text=True)


def test_the_remember_cookie_dies_with_its_session(app, client, make_user):
    user = make_user(email="lan@example.vn")
    db.session.commit()
    client.post("/sign-in", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    remember = {REMEMBER: cookies_of(client)[REMEMBER]}
    # The browser is closed: only the remember cookie is left, and it signs in again.
    assert browser_with(app, remember).get("/account").status_code == 200
    client.post("/sign-out")
    assert browser_with(app, remember).get("/account").status_code == 302
    assert [record.ended_at is not None for record in sessions_of(user)] == [True]


def test_sign_out_everywhere_ends_every_device(app, make_user):
    user = make_user(email="lan@example.vn")
    db.session.commit()
    phone, laptop = app.test_client(), app.test_client()
    phone.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    laptop.post("/sign-in", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    laptop_remember = {REMEMBER: cookies_of(laptop)[REMEMBER]}
    page = phone.get("/en/account").get_data(as_text=True)
    assert "Sign out everywhere" in page
    assert "Đăng xuất trên mọi thiết bị" in phone.get("/account").get_data(as_text=True)

    # A forged request (no form token) ends nothing.
    assert phone.post("/account/sign-out-everywhere", csrf=False).status_code == 400
    assert laptop.get("/account").status_code == 200

    response = phone.post("/en/account/sign-out-everywhere")
    assert response.status_code == 302
    assert "You are signed out on every device" in phone.get("/en/").get_data(as_text=True)
    for browser in (phone, laptop, browser_with(app, laptop_remember)):
        assert browser.get("/account").status_code == 302
    assert all(record.ended_at is not None for record in sessions_of(user))


def test_choosing_a_new_password_ends_the_other_sessions(app, make_user):
    user = make_user(role=Role.PRODUCER, email="chi.lan@example.vn")
    db.session.commit()
    old_phone = app.test_client()
    old_phone.post("/sign-in", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    old_remember = {REMEMBER: cookies_of(old_phone)[REMEMBER]}
    assert old_phone.get("/producer/").status_code == 200
    link = f"/set-password/{account_operations.invite_token(user)}"
    db.session.commit()

    new_phone = app.test_client()
    new_password = "một-mật-khẩu-mới-dài"
    response = new_phone.post(link, data={"password": new_password, "confirm": new_password})
    assert response.status_code == 302
    assert new_phone.get("/producer/").status_code == 200
    for browser in (old_phone, browser_with(app, old_remember)):
        assert browser.get("/producer/").status_code == 302
    assert [record.ended_at is None for record in sessions_of(user)] == [False, True]


def test_a_closed_account_is_signed_out_and_stays_so_when_reopened(app, client, make_user, sign_in):
    user = make_user()
    sign_in(user)
    stolen = cookies_of(client)
    account_operations.set_user_active(db.session.get(User, user.id), False)
    db.session.commit()
    assert client.get("/account").status_code == 302
    account_operations.set_user_active(db.session.get(User, user.id), True)
    db.session.commit()
    assert browser_with(app, stolen).get("/account").status_code == 302
    assert sessions_of(user)[0].ended_at is not None


def test_signing_in_starts_a_new_session_and_a_new_form_token(client, make_user):
    user = make_user()
    db.session.commit()
    client.get("/sign-in")
    with client.session_transaction() as session:
        planted_form_token = session["csrf_token"]
        session["_user_id"] = "a-token-planted-before-sign-in"
    client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    first = session_token(client)
    with client.session_transaction() as session:
        assert session.get("csrf_token") != planted_form_token
    client.post("/sign-out")
    client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    second = session_token(client)
    assert first and second and len({first, second, "a-token-planted-before-sign-in"}) == 3
    # Only a hash of each token is stored.
    stored = {record.token_hash for record in sessions_of(user)}
    assert stored == {account_queries.token_hash(first), account_queries.token_hash(second)}
    assert not stored & {first, second}


def test_signing_in_as_someone_else_ends_the_session_the_browser_held(app, client, make_user, sign_in):
    first, second = make_user(role=Role.PRODUCER), make_user(role=Role.PRODUCER)
    sign_in(first)
    stolen = cookies_of(client)
    link = f"/set-password/{account_operations.invite_token(second)}"
    db.session.commit()
    new_password = "một-mật-khẩu-mới-dài"
    assert client.post(link, data={"password": new_password, "confirm": new_password}).status_code == 302
    assert browser_with(app, stolen).get("/producer/").status_code == 302
    assert sessions_of(first)[0].ended_at is not None


def test_last_seen_is_written_at_most_every_few_minutes(app, client, make_user, sign_in, monkeypatch):
    user = make_user()
    sign_in(user)
    signed_in_at = sessions_of(user)[0].last_seen_at
    for _ in range(3):
        assert client.get("/account").status_code == 200
    assert sessions_of(user)[0].last_seen_at == signed_in_at

    later = signed_in_at + timedelta(seconds=app.config["SESSION_TOUCH_SECONDS"] + 1)
    monkeypatch.setattr(account_login, "utcnow", lambda: later)
    monkeypatch.setattr(account_queries, "utcnow", lambda: later)
    assert client.get("/account").status_code == 200
    assert sessions_of(user)[0].last_seen_at == later


def test_a_session_ends_after_a_day_unused_and_a_remembered_one_after_its_cookie(
        app, make_user, monkeypatch):
    user = make_user()
    db.session.commit()
    day_browser, kept_browser = app.test_client(), app.test_client()
    day_browser.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    kept_browser.post("/sign-in", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    signed_in_at = sessions_of(user)[0].created_at

    def travel(delta):
        moment = signed_in_at + delta
        monkeypatch.setattr(account_login, "utcnow", lambda: moment)
        monkeypatch.setattr(account_queries, "utcnow", lambda: moment)

    travel(timedelta(hours=app.config["SESSION_IDLE_HOURS"], minutes=1))
    assert day_browser.get("/account").status_code == 302
    assert kept_browser.get("/account").status_code == 200
    travel(app.config["REMEMBER_COOKIE_DURATION"] + timedelta(minutes=1))
    assert kept_browser.get("/account").status_code == 302


def test_an_old_style_session_holding_an_account_number_opens_nothing(app, make_user):
    user = make_user()
    db.session.commit()
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = str(user.id)
    assert browser.get("/account").status_code == 302


def test_ending_all_sessions_but_the_current_one_keeps_only_that_one(app, make_user):
    user = make_user()
    db.session.commit()
    phone, laptop = app.test_client(), app.test_client()
    for browser in (phone, laptop):
        browser.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    with app.test_request_context("/"):
        current = account_login.load_user(session_token(phone))
        account_operations.end_all_sessions(current, except_current=True)
        db.session.commit()
    assert phone.get("/account").status_code == 200
    assert laptop.get("/account").status_code == 302
