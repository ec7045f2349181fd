"""The back office in a browser: a producer updates a product's price and text from a phone, the OCOP
office approves the text; every back-office page of the listings passes axe, with no console error or
CSP violation, and no sideways scrolling on a phone.

The demo catalogue is shared by the browser tests: what these tests change (accounts, the product's
price, stock and text, listing edits, audit entries, outbox messages) is put back afterwards."""
import re

import pytest
from sqlalchemy import delete, select

from storefront.accounts.models import Role, SecondFactor, User
from storefront.audit.models import AuditEntry
from storefront.bankfeed.models import BankTransfer, Mismatch, TransferState
from storefront.catalog.models import REVIEWED_TEXT_FIELDS, ListingEdit, Product
from storefront.clock import utcnow
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.ratelimit import RateLimitCounter

from shop import enrol_second_factor, type_second_factor_code

pytestmark = pytest.mark.e2e

PASSWORD = "mật-khẩu-thử-trình-duyệt"
ADMIN_EMAIL = "e2e-office@ocop.example"
PRODUCER_EMAIL = "e2e-producer@ocop.example"


@pytest.fixture
def accounts(demo_app):
    """An administrator and an account for the producer of a published product; put back afterwards."""
    with demo_app.app_context():
        product = db.session.scalars(select(Product).where(Product.is_published.is_(True))
                                     .order_by(Product.id)).first()
        saved = {name: getattr(product, name) for name in ("price", "stock", *REVIEWED_TEXT_FIELDS)}
        for email, role, producer in ((ADMIN_EMAIL, Role.ADMIN, None),
                                      (PRODUCER_EMAIL, Role.PRODUCER, product.producer)):
            user = User(email=email, role=role, producer=producer, name="E2E")
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.flush()
            if user.needs_second_factor:
                enrol_second_factor(user)
        waiting = BankTransfer(provider="sepay", provider_id="e2e-1", account_number="0123456789", bank="Vietcombank",
                               amount=185_000, description="MBVCB.3278907687.chuyen tien cho chi Hoa",
                               bank_reference="FT24339123456", transferred_at=utcnow(),
                               state=TransferState.TO_RECONCILE, mismatch=Mismatch.NO_ORDER)
        db.session.add(waiting)
        db.session.commit()
        ids = {"product": product.id, "slug": product.slug, "producer": product.producer_id,
               "name": product.name_vi, "price": product.price, "transfer": waiting.id}
    yield {**ids, "app": demo_app}
    with demo_app.app_context():
        product = db.session.get(Product, ids["product"])
        for name, value in saved.items():
            setattr(product, name, value)
        db.session.execute(delete(ListingEdit).where(ListingEdit.product_id == ids["product"]))
        db.session.execute(delete(BankTransfer).where(BankTransfer.id == ids["transfer"]))
        db.session.execute(delete(AuditEntry).where(AuditEntry.actor_label.in_([ADMIN_EMAIL, PRODUCER_EMAIL])))
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient.in_([ADMIN_EMAIL, PRODUCER_EMAIL])))
        # The sign-ins of these tests count against the server's address (127.0.0.1) too: give them back.
        db.session.execute(delete(RateLimitCounter).where(
            RateLimitCounter.key.in_([ADMIN_EMAIL, PRODUCER_EMAIL]) | (RateLimitCounter.scope == "sign-in-address")))
        db.session.execute(delete(SecondFactor).where(SecondFactor.user_id.in_(
            select(User.id).where(User.email.in_([ADMIN_EMAIL, PRODUCER_EMAIL])))))
        db.session.execute(delete(User).where(User.email.in_([ADMIN_EMAIL, PRODUCER_EMAIL])))
        db.session.commit()


def sign_in(page, email, lang="", app=None):
    """Sign in; an office account answers the second factor with its app's code (`app`: the demo app)."""
    page.goto(f"{lang}/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_load_state()
    if page.url.split("?")[0].endswith("/sign-in/code"):
        type_second_factor_code(page, app, email)


def test_a_producer_updates_price_and_text_on_a_phone_and_the_office_approves(open_page, check_page, accounts,
                                                                             in_demo):
    phone = open_page("phone")
    sign_in(phone, PRODUCER_EMAIL)
    assert phone.url.endswith("/producer/")
    phone.get_by_role("link", name=accounts["name"]).click()
    assert re.search(rf"/producer/products/{accounts['product']}$", phone.url)
    check_page(phone)

    new_price = (accounts["price"] or 100_000) + 5_000
    phone.fill("#price", f"{new_price:,}".replace(",", "."))
    phone.fill("#stock", "7")
    phone.get_by_role("button", name="Lưu giá và tồn kho").click()
    phone.wait_for_load_state()
    assert "Đã lưu giá và tồn kho" in phone.inner_text(".flashes")
    assert phone.input_value("#price") == str(new_price)

    phone.fill("#summary_vi", "Tóm tắt mới từ điện thoại.")
    phone.get_by_role("button", name="Gửi thay đổi để duyệt").click()
    phone.wait_for_load_state()
    assert "Văn phòng OCOP" in phone.inner_text(".flashes")
    assert "đang chờ Văn phòng OCOP duyệt" in phone.inner_text(".notice")
    widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the producer's product page scrolls sideways: {widths}"
    check_page(phone)

    # Shoppers see the new price at once, and the old summary until the office approves.
    shopper = open_page("phone")
    shopper.goto(f"/products/{accounts['slug']}")
    body = shopper.inner_text("main")
    assert f"{new_price:,}".replace(",", ".") in body and "Tóm tắt mới từ điện thoại." not in body

    office = open_page("desktop")
    sign_in(office, ADMIN_EMAIL, app=accounts["app"])
    office.goto("/admin/moderation")
    office.get_by_role("link", name=accounts["name"]).click()
    assert "Tóm tắt mới từ điện thoại." in office.inner_text(".diff-new")
    check_page(office)
    office.get_by_role("button", name="Duyệt: đăng ngay").click()
    office.wait_for_load_state()
    assert "đã được đăng" in office.inner_text(".flashes")

    shopper.goto(f"/products/{accounts['slug']}")
    assert "Tóm tắt mới từ điện thoại." in shopper.inner_text("main")
    price, stock = in_demo(lambda: db.session.execute(
        select(Product.price, Product.stock).where(Product.id == accounts["product"])).one())
    assert (price, stock) == (new_price, 7)


ADMIN_PAGES = ["/admin/products", "/admin/products/new", "/admin/products/{product}", "/admin/producers",
               "/admin/producers/{producer}", "/admin/sales-points", "/admin/sales-points/new", "/admin/areas",
               "/admin/areas/new", "/admin/users", "/admin/users/invite", "/admin/moderation",
               "/admin/visit-requests", "/admin/transfers", "/admin/transfers/{transfer}", "/admin/transfers/statement"]
PRODUCER_PAGES = ["/producer/", "/producer/products/{product}", "/producer/profile", "/producer/visit-requests"]


@pytest.mark.parametrize("device, lang", [("desktop", ""), ("phone", "/en")])
def test_back_office_pages_are_accessible_and_clean(open_page, check_page, accounts, device, lang):
    for email, paths in ((ADMIN_EMAIL, ADMIN_PAGES), (PRODUCER_EMAIL, PRODUCER_PAGES)):
        page = open_page(device)
        sign_in(page, email, lang, app=accounts["app"])
        for path in paths:
            url = lang + path.format(**accounts)
            response = page.goto(url)
            assert response.status == 200, url
            if device == "phone":
                widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                assert widths[0] <= widths[1], f"{url} scrolls sideways: {widths}"
            check_page(page)


def test_a_refused_form_is_accessible_too(open_page, check_page, accounts):
    page = open_page("desktop")
    sign_in(page, ADMIN_EMAIL, app=accounts["app"])
    page.goto("/admin/sales-points/new")
    page.fill("#name_vi", "Điểm thử")
    page.fill("#address", "1 Lê Lợi")
    page.fill("#latitude", "108.8")
    page.fill("#longitude", "15.1")
    page.get_by_role("button", name="Thêm điểm bán").click()
    page.wait_for_load_state()
    assert "Vĩ độ phải nằm trong Việt Nam" in page.inner_text("#latitude-error")
    page.log.problems.clear()  # Chromium logs the 400 status of the refused form: expected
    check_page(page)


def test_the_office_places_a_sales_point_by_tapping_the_map(open_page, check_page, accounts):
    page = open_page("desktop")
    sign_in(page, ADMIN_EMAIL, app=accounts["app"])
    page.goto("/admin/sales-points/new")
    picker = page.locator("#coordinate-picker")
    picker.locator(".leaflet-marker-icon").wait_for()
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] * 0.75, "y": box["height"] * 0.25})
    latitude, longitude = float(page.input_value("#latitude")), float(page.input_value("#longitude"))
    # North-east of the province's centre, where the picker opens on a new point.
    assert 15.12 < latitude < 16.5 and 108.8 < longitude < 110
    page.fill("#latitude", "14.9")
    page.fill("#longitude", "108.6")
    page.dispatch_event("#longitude", "change")
    assert page.evaluate("document.querySelector('#coordinate-picker .leaflet-marker-icon').style.opacity") == "1"
    check_page(page)
