"""One rule for new passwords, in storefront.accounts.passwords: long enough, not common, not the person's
own email or name; used by registration, the invitation's and reset's new password, and `flask user create`."""
import pytest
from sqlalchemy import func, select

from storefront.accounts import operations as account_operations
from storefront.accounts.models import Role, User
from storefront.accounts.passwords import password_problem
from storefront.extensions import db
from storefront.i18n import set_lang
from storefront.notifications.models import OutboxMessage

from test_user_cli import run

WEAK = [
    ("1234567890", "quá phổ biến", "too common"),
    ("password12", "quá phổ biến", "too common"),
    ("matkhau123456", "quá phổ biến", "too common"),
    ("qwertyuiop", "quá phổ biến", "too common"),
    ("ngan-qua", "ít nhất 10 ký tự", "at least 10 characters"),
    ("mai.tran.1990", "không được chứa email hoặc tên", "must not contain your email address or your name"),
    ("TranThiMai-ok!", "không được chứa email hoặc tên", "must not contain your email address or your name"),
]


@pytest.mark.parametrize("password, vietnamese, english", WEAK)
def test_registration_refuses_a_weak_password_and_says_why(client, password, vietnamese, english):
    for lang, reason in (("", vietnamese), ("/en", english)):
        response = client.post(f"{lang}/register", data={"name": "Trần Thị Mai", "email": "mai.tran@example.vn",
                                                          "password": password, "confirm": password})
        assert response.status_code == 400
        assert reason in response.get_data(as_text=True), (lang, password)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


@pytest.mark.parametrize("password", ["mot-mat-khau-dai", "Hoa sen trong đầm", "trà bồng quế thơm 2025",
                                      ("trà bồng quế thơm 2025 " + "x" * 200)[:200]])
def test_passwords_people_remember_but_others_cannot_guess_are_accepted(app, password):
    with app.test_request_context("/"):
        assert password_problem(password, "mai.tran@example.vn", "Trần Thị Mai") is None


def test_a_password_longer_than_two_hundred_characters_is_refused(app):
    with app.test_request_context("/en/"):
        set_lang("en")
        assert "at most 200 characters" in password_problem("x" * 201)


def test_an_invited_producer_cannot_choose_a_weak_password(app, make_user):
    user = make_user(role=Role.PRODUCER, email="htx.toi@example.vn", name="HTX Tỏi")
    link = f"/en/set-password/{account_operations.invite_token(user)}"
    db.session.commit()
    visitor = app.test_client()
    for password, reason in (("1234567890", "too common"), ("htx.toi@example.vn", "must not contain")):
        response = visitor.post(link, data={"password": password, "confirm": password})
        assert response.status_code == 400 and reason in response.get_data(as_text=True)
    assert visitor.post(link, data={"password": "một-mật-khẩu-mới-dài", "confirm": "một-mật-khẩu-mới-dài"}
                        ).status_code == 302


def test_the_command_line_refuses_a_weak_password(app):
    result = run(app, "admin@ocop.vn", "--role", "admin", password="password12")
    assert result.exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
