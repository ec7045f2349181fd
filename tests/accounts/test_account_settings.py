"""The owner's settings at /account: name and phone, password, and where the account is signed in. Every
form refuses bad input with a message in the visitor's language and writes nothing."""
import pytest
from sqlalchemy import func, select

from storefront.accounts.models import User, UserSession
from storefront.audit.models import AuditEntry
from storefront.extensions import db

from account_mail import messages_to
from shared import PASSWORD

NEW_PASSWORD = "một-câu-mật-khẩu-mới"
ANDROID_CHROME = ("Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/126.0.0.0 Mobile Safari/537.36")
WINDOWS_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


def changes_audited():
    """The audit entries of changes (the sign-ins from the tests' new browsers left aside)."""
    return select(AuditEntry).where(AuditEntry.action != "user.sign_in_new_device").order_by(AuditEntry.id)


def audit_actions() -> list[str]:
    return [entry.action for entry in db.session.scalars(changes_audited())]


def fresh(user) -> User:
    return db.session.get(User, user.id)


@pytest.fixture
def lan(make_user):
    user = make_user(email="lan@example.vn", name="Lan")
    db.session.commit()
    return user


def save_profile(client, name, phone, lang=""):
    return client.post(f"{lang}/account/profile", data={"profile-name": name, "profile-phone": phone})


def change_password(client, current, new, confirm=None, lang=""):
    return client.post(f"{lang}/account/password", data={
        "password-current_password": current, "password-password": new,
        "password-confirm": new if confirm is None else confirm})


@pytest.mark.parametrize("lang,saved", [("", "Đã lưu tên và số điện thoại"), ("/en", "Your name and phone number are saved.")])
def test_the_owner_changes_name_and_phone(lan, sign_in, lang, saved):
    client = sign_in(lan)
    page = client.get(f"{lang}/account").get_data(as_text=True)
    assert 'name="profile-name"' in page and 'value="Lan"' in page
    response = save_profile(client, "  Trần Thị Lan ", "+84 912.345.678", lang=lang)
    assert response.status_code == 303 and response.location == f"{lang}/account"
    assert saved in client.get(f"{lang}/account").get_data(as_text=True)
    user = fresh(lan)
    assert (user.name, user.phone) == ("Trần Thị Lan", "0912345678")
    [entry] = db.session.scalars(changes_audited()).all()
    assert (entry.action, entry.actor_id) == ("user.update_profile", lan.id)
    assert entry.changes == {"name": ["Lan", "Trần Thị Lan"], "phone": [None, "0912345678"]}
    # Saved as it was: nothing to record. A blank phone takes the number away.
    assert save_profile(client, "Trần Thị Lan", "0912 345 678").status_code == 303
    assert audit_actions() == ["user.update_profile"]
    assert save_profile(client, "Trần Thị Lan", "").status_code == 303
    assert fresh(lan).phone is None


@pytest.mark.parametrize("name,phone,lang,words", [
    ("", "0912345678", "", "Hãy nhập tên của bạn."),
    ("   ", "0912345678", "/en", "Enter your name."),
    ("Lan", "12345", "/en", "Enter a Vietnamese phone number"),
    ("Lan", "0123456789", "", "Hãy nhập số điện thoại Việt Nam"),
    ("Lan", "+49 151 23456789", "/en", "Enter a Vietnamese phone number"),
    ("L" * 201, "", "/en", "at most 200 characters"),
    ("Lan\u202e", "", "/en", "Remove the invisible or control characters"),
    ("Lan", "0912\n345 678", "/en", "Remove the invisible or control characters"),
    ("Lan", "9" * 41, "", "40"),
])
def test_a_refused_name_or_phone_writes_nothing(lan, sign_in, name, phone, lang, words):
    client = sign_in(lan)
    response = save_profile(client, name, phone, lang=lang)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert words in page and 'role="alert"' in page
    user = fresh(lan)
    assert (user.name, user.phone) == ("Lan", None) and audit_actions() == []


def test_the_settings_need_a_signed_in_owner_and_a_genuine_form(app, lan, sign_in):
    stranger = app.test_client()
    assert save_profile(stranger, "Kẻ lạ", "0912345678").status_code == 302
    assert change_password(stranger, PASSWORD, NEW_PASSWORD).status_code == 302
    client = sign_in(lan)
    forged = client.post("/account/profile", data={"profile-name": "Kẻ lạ"}, csrf=False)
    assert forged.status_code == 400
    twice = client.post("/account/profile", data={"profile-name": ["Lan", "Kẻ lạ"], "profile-phone": ""})
    assert twice.status_code == 400 and "một ô bị gửi hai lần" in twice.get_data(as_text=True)
    assert fresh(lan).name == "Lan" and audit_actions() == []


def test_changing_the_password_keeps_this_device_and_signs_out_the_others(app, lan, sign_in):
    client = sign_in(lan)
    other = app.test_client()
    other.post("/sign-in", data={"email": lan.email, "password": PASSWORD, "remember": "y"})
    response = change_password(client, PASSWORD, NEW_PASSWORD, lang="/en")
    assert response.status_code == 303 and response.location == "/en/account"
    page = client.get("/en/account").get_data(as_text=True)
    assert "Your new password is saved. Every other device was signed out" in page
    assert other.get("/account").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(UserSession)
                             .where(UserSession.user_id == lan.id, UserSession.ended_at.is_(None))) == 1
    assert fresh(lan).check_password(NEW_PASSWORD)
    [entry] = db.session.scalars(changes_audited()).all()
    assert (entry.action, entry.changes) == ("user.change_password", {"password": ["…", "changed"]})
    [notice] = messages_to(lan.email, "password-changed")
    assert notice.subject == "Your OCOP Quảng Ngãi password was changed" and "/en/forgot-password" in notice.body
    signed_out = app.test_client()
    assert signed_out.post("/sign-in", data={"email": lan.email, "password": PASSWORD}).status_code == 401
    assert signed_out.post("/sign-in", data={"email": lan.email, "password": NEW_PASSWORD}).status_code == 302


@pytest.mark.parametrize("current,new,confirm,lang,words", [
    ("not-my-password", NEW_PASSWORD, None, "/en", "This is not your current password."),
    ("not-my-password", NEW_PASSWORD, None, "", "Đây không phải mật khẩu hiện tại của bạn."),
    ("", NEW_PASSWORD, None, "/en", "Enter your current password."),
    (PASSWORD, "password12", None, "/en", "too common"),
    (PASSWORD, "lan@example.vn-2024", None, "/en", "email"),
    (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "!", "", "Hai mật khẩu không giống nhau."),
    (PASSWORD, PASSWORD, None, "/en", "different from the current one"),
    (PASSWORD, "", "", "/en", "Choose a password."),
])
def test_a_refused_password_change_writes_nothing(app, lan, sign_in, current, new, confirm, lang, words):
    client = sign_in(lan)
    other = app.test_client()
    other.post("/sign-in", data={"email": lan.email, "password": PASSWORD})
    response = change_password(client, current, new, confirm, lang=lang)
    assert response.status_code == 400 and words in response.get_data(as_text=True)
    assert fresh(lan).check_password(PASSWORD)
    assert other.get("/account").status_code == 200 and audit_actions() == []
    assert messages_to(lan.email) == []


def test_guesses_at_the_current_password_are_limited(lan, sign_in):
    client = sign_in(lan)
    for _ in range(10):
        assert change_password(client, "a-wrong-guess", NEW_PASSWORD).status_code == 400
    refused = change_password(client, PASSWORD, NEW_PASSWORD, lang="/en")
    assert refused.status_code == 429 and "Too many attempts. Please wait 15 minutes" in refused.get_data(as_text=True)
    assert fresh(lan).check_password(PASSWORD)


def test_the_page_lists_where_the_account_is_signed_in(app, lan):
    phone, computer = app.test_client(), app.test_client()
    phone.post("/sign-in", data={"email": lan.email, "password": PASSWORD},
               headers={"User-Agent": ANDROID_CHROME}, environ_base={"REMOTE_ADDR": "203.0.113.20"})
    computer.post("/sign-in", data={"email": lan.email, "password": PASSWORD},
                  headers={"User-Agent": WINDOWS_FIREFOX}, environ_base={"REMOTE_ADDR": "198.51.100.4"})
    gone = app.test_client()
    gone.post("/sign-in", data={"email": lan.email, "password": PASSWORD},
              headers={"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Version/17.5 Safari/604.1"})
    gone.post("/sign-out")
    page = phone.get("/en/account", headers={"User-Agent": ANDROID_CHROME}).get_data(as_text=True)
    assert "Chrome on Android <strong>(this device)</strong>" in page and "203.0.113.20" in page
    assert "Firefox on Windows</th>" in page and "198.51.100.4" in page
    assert "iPhone" not in page  # signed out: not listed
    vietnamese = computer.get("/account").get_data(as_text=True)
    assert "Firefox trên Windows <strong>(thiết bị này)</strong>" in vietnamese
    assert "Lần cuối hoạt động" in vietnamese
