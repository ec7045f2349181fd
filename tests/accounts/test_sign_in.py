"""Signing in, registering and signing out, in both languages, with the mistakes people make."""
from sqlalchemy import select

from storefront.accounts import guessing
from storefront.accounts.models import Role, SignInThrottle
from storefront.extensions import db

from shared import PASSWORD


def test_a_customer_signs_in_and_reaches_the_account_page(client, make_user):
    user = make_user(email="lan@example.vn")
    db.session.commit()
    response = client.post("/sign-in", data={"email": "  LAN@example.vn ", "password": PASSWORD})
    assert response.status_code == 302 and response.location.endswith("/account")
    page = client.get("/account").get_data(as_text=True)
    assert "lan@example.vn" in page and "Đăng xuất" in page
    assert user.name in page


def test_a_wrong_password_or_unknown_address_gets_the_same_answer(client, make_user):
    make_user(email="lan@example.vn")
    db.session.commit()
    wrong = client.post("/sign-in", data={"email": "lan@example.vn", "password": "sai-mat-khau-roi"})
    unknown = client.post("/sign-in", data={"email": "ai@example.vn", "password": "sai-mat-khau-roi"})
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "Email hoặc mật khẩu không đúng" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_errors_are_in_english_on_the_english_page(client):
    response = client.post("/en/sign-in", data={"email": "", "password": ""})
    assert response.status_code == 400
    assert "Enter your email address." in response.get_data(as_text=True)


def test_a_disabled_account_cannot_sign_in(client, make_user):
    make_user(email="off@example.vn", active=False)
    db.session.commit()
    response = client.post("/sign-in", data={"email": "off@example.vn", "password": PASSWORD})
    assert response.status_code == 401


def test_next_goes_back_to_the_page_but_never_to_another_site(client, make_user):
    make_user(email="lan@example.vn")
    db.session.commit()
    for target, expected in [("/en/products?stars=4", "/en/products?stars=4"), ("https://evil.example/", "/account"),
                             ("//evil.example/x", "/account"), ("/\\evil.example", "/account")]:
        response = client.post("/sign-in", data={"email": "lan@example.vn", "password": PASSWORD, "next": target})
        assert response.status_code == 302
        assert response.location == expected, target
        client.post("/sign-out")


def test_each_role_lands_in_its_own_place(client, make_user):
    for role, place in [(Role.ADMIN, "/admin/"), (Role.PRODUCER, "/producer/"), (Role.CUSTOMER, "/account")]:
        user = make_user(role=role)
        db.session.commit()
        response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
        assert response.location == place
        client.post("/sign-out")


def test_after_a_few_failures_an_unknown_device_must_wait_even_with_the_right_password(client, make_user):
    make_user(email="lan@example.vn")
    db.session.commit()
    for _ in range(guessing.FREE_FAILURES):
        assert client.post("/sign-in", data={"email": "lan@example.vn", "password": "doan-mo-thu"}).status_code == 401
    response = client.post("/sign-in", data={"email": "lan@example.vn", "password": PASSWORD})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "Quá nhiều lần đăng nhập. Vui lòng chờ 1 phút rồi thử lại." in response.get_data(as_text=True)
    english = client.post("/en/sign-in", data={"email": "lan@example.vn", "password": PASSWORD})
    assert "Too many sign-in attempts. Please wait 1 minute and try again." in english.get_data(as_text=True)
    assert client.get("/account").status_code == 302
    # The count survived the failed (rolled-back) requests that made it; the typed address is not stored.
    throttle = db.session.scalar(select(SignInThrottle))
    assert throttle.failures == guessing.FREE_FAILURES and "lan@example.vn" not in throttle.key


def test_signing_out_needs_a_post(client, make_user, sign_in):
    sign_in(make_user())
    assert client.get("/sign-out").status_code == 405
    assert client.get("/account").status_code == 200
    assert client.post("/sign-out").status_code == 302
    assert client.get("/account").status_code == 302


def test_forms_refuse_a_missing_csrf_token(app, make_user):
    make_user(email="lan@example.vn")
    db.session.commit()
    client = app.test_client()
    response = client.post("/sign-in", data={"email": "lan@example.vn", "password": PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert client.get("/account").status_code == 302
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/sign-in", data={"email": "lan@example.vn", "password": PASSWORD,
                                             "csrf_token": token})
    assert response.status_code == 302
