"""A shopper on a phone: forgets the password and gets back in with the e-mailed link, then changes the
name on the account page. Every page passes axe, with no console error or CSP violation.

The demo shop is shared by the browser tests: the account, its sessions, e-mails, audit entries and
rate-limit counts are removed afterwards."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, or_, select

from storefront.accounts.models import User
from storefront.audit.models import AuditEntry
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.ratelimit import RateLimitCounter

pytestmark = pytest.mark.e2e

EMAIL = "e2e-shopper@ocop.example"
PASSWORD = "mật-khẩu-thử-trình-duyệt"
NEW_PASSWORD = "một-câu-mật-khẩu-mới-trên-điện-thoại"


@pytest.fixture
def shopper(demo_app):
    with demo_app.app_context():
        user = User(email=EMAIL, name="Lan")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        user_id = user.id
    yield user_id
    with demo_app.app_context():
        db.session.execute(delete(AuditEntry).where(or_(AuditEntry.actor_id == user_id,
                                                        AuditEntry.actor_label == EMAIL)))
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == EMAIL))
        # The requests of these tests count against the server's address (127.0.0.1) too: give them back.
        db.session.execute(delete(RateLimitCounter).where(
            (RateLimitCounter.key == EMAIL) | (RateLimitCounter.key == str(user_id))
            | RateLimitCounter.scope.in_(["sign-in-address", "password-reset", "invite"])))
        db.session.execute(delete(User).where(User.id == user_id))
        db.session.commit()


def reset_link(in_demo) -> str:
    def read():
        body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.recipient == EMAIL,
                                                                  OutboxMessage.kind == "password-reset"))
        return re.search(r"https?://[^/\s]+(/reset-password/\S+)", body)[1]
    return in_demo(read)


def test_a_forgotten_password_on_a_phone(open_page, check_page, shopper, in_demo):
    page = open_page("phone")
    page.goto("/sign-in")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    expect(page).to_have_url(re.compile(r"/forgot-password$"))
    check_page(page)
    page.fill("#email", EMAIL)
    page.click("form.stacked-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/forgot-password/sent$"))
    expect(page.locator("main")).to_contain_text("trong vòng 1 giờ")
    check_page(page)

    page.goto(reset_link(in_demo))
    expect(page.get_by_role("heading", level=1)).to_have_text("Chọn mật khẩu mới")
    check_page(page)
    page.fill("#password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    page.click("form.stacked-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.locator(".flashes")).to_contain_text("Mật khẩu mới đã được lưu")
    expect(page.locator("dl.details")).to_contain_text(EMAIL)
    check_page(page)
    assert in_demo(lambda: db.session.get(User, shopper).check_password(NEW_PASSWORD))

    # The link works once: opened again, it says so in Vietnamese.
    used = reset_link(in_demo)
    page.log.expect_error_status(used)
    page.goto(used)
    expect(page.locator("main")).to_contain_text("Liên kết này đã được dùng")
    check_page(page)


def test_changing_the_name_on_a_phone(open_page, check_page, shopper, in_demo):
    page = open_page("phone")
    page.goto("/en/sign-in")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("form.stacked-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/en/account$"))
    check_page(page)
    # Nothing on the page is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.log.expect_error_status("/en/account/profile")
    page.fill("#profile-phone", "12345")
    page.get_by_role("button", name="Save name and phone").click()
    expect(page.locator("#profile-phone-error")).to_contain_text("Enter a Vietnamese phone number")
    check_page(page)

    page.fill("#profile-name", "Trần Thị Lan")
    page.fill("#profile-phone", "0912 345 678")
    page.get_by_role("button", name="Save name and phone").click()
    expect(page).to_have_url(re.compile(r"/en/account$"))
    expect(page.locator(".flashes")).to_contain_text("Your name and phone number are saved.")
    expect(page.locator("dl.details")).to_contain_text("Trần Thị Lan")
    expect(page.locator("dl.details")).to_contain_text("0912345678")
    check_page(page)
    user = in_demo(lambda: db.session.get(User, shopper))
    assert (user.name, user.phone) == ("Trần Thị Lan", "0912345678")
