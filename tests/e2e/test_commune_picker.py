"""The delivery address on a phone: pick the province, then search its commune or ward without tone marks
(a combobox over the form's <select>); without JavaScript, a button lists the province's communes."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.orders.models import Order

pytestmark = pytest.mark.e2e

WATCH_COMMUNE_CHANGES = """() => {
  window.__communeChanges = [];
  document.querySelector("select[name=commune]").addEventListener("change", (event) => {
    window.__communeChanges.push(event.target.value);
  });
}"""


def a_product_sold_online() -> str:
    return db.session.scalar(select(Product.slug).where(
        Product.sold_online.is_(True), Product.stock > 20, Product.price.isnot(None)).order_by(Product.id.desc())
        .offset(3).limit(1))


def order_address(number: str) -> tuple[str, str, str]:
    order = db.session.scalar(select(Order).where(Order.number == number))
    return order.province, order.commune, order.street


def to_checkout(page, slug, lang=""):
    page.goto(f"{lang}/products/{slug}")
    page.locator("form[action$='/cart/add'] button[type=submit]").first.click()
    page.goto(f"{lang}/checkout")


def test_on_a_phone_the_commune_is_searched_without_tone_marks_in_the_province_chosen(open_page, in_demo, check_page):
    slug = in_demo(a_product_sold_online)
    page = open_page("phone")
    to_checkout(page, slug)
    page.get_by_label("Tên của bạn").fill("Lê Thị Hoa")
    page.get_by_label("Số điện thoại").fill("0935 222 333")
    # The script has taken the no-script button away: the list follows the province by itself.
    expect(page.get_by_role("button", name="Chọn tỉnh, thành phố này")).to_have_count(0)
    combobox = page.get_by_role("combobox", name="Xã hoặc phường")
    expect(combobox).to_be_visible()
    expect(page.locator("select[name=commune]")).to_be_hidden()
    page.evaluate(WATCH_COMMUNE_CHANGES)

    # Another province: its communes come from the server.
    page.get_by_label("Tỉnh hoặc thành phố").select_option(label="Đà Nẵng")
    expect(combobox).to_be_enabled()
    combobox.fill("hai chau")
    listbox = page.get_by_role("listbox")
    expect(combobox).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option", name="Phường Hải Châu")).to_be_visible()
    expect(listbox.get_by_role("option", name="Phường Cẩm Thành")).to_have_count(0)
    check_page(page)  # the open list too
    combobox.press("ArrowDown")
    expect(combobox).to_have_attribute("aria-activedescendant", re.compile(r"commune-listbox-0"))
    combobox.press("Enter")
    expect(combobox).to_have_value("Phường Hải Châu")
    expect(combobox).to_have_attribute("aria-expanded", "false")
    expect(page.locator("select[name=commune]")).to_have_value("Phường Hải Châu")
    assert page.evaluate("window.__communeChanges").pop() == "Phường Hải Châu"

    # Back to Quảng Ngãi (its list now cached): the special zone of Lý Sơn, typed without tone marks.
    page.get_by_label("Tỉnh hoặc thành phố").select_option(label="Quảng Ngãi")
    expect(combobox).to_have_value("")
    combobox.fill("cam thanh")
    expect(listbox.get_by_role("option")).to_have_text(["Phường Cẩm Thành"])
    combobox.fill("ly son")
    listbox.get_by_role("option", name="Đặc khu Lý Sơn").click()
    expect(combobox).to_have_value("Đặc khu Lý Sơn")
    expect(listbox).to_be_hidden()
    assert page.evaluate("window.__communeChanges").pop() == "Đặc khu Lý Sơn"
    # Escape closes an open list without changing the choice.
    combobox.fill("son")
    expect(listbox).to_be_visible()
    combobox.press("Escape")
    expect(listbox).to_be_hidden()
    combobox.fill("Đặc khu Lý Sơn")

    page.get_by_label("Số nhà, đường, thôn xóm").fill("Thôn Đông")
    page.get_by_label("Thanh toán khi nhận hàng").check()
    page.get_by_role("button", name="Đặt hàng").click()
    expect(page).to_have_url(re.compile(r"/orders/QN\w{8}$"))
    check_page(page)
    number = page.url.rsplit("/", 1)[1]
    assert in_demo(lambda: order_address(number)) == ("Quảng Ngãi", "Đặc khu Lý Sơn", "Thôn Đông")


def test_a_commune_typed_but_not_picked_is_refused_beside_the_field(open_page, in_demo, check_page):
    slug = in_demo(a_product_sold_online)
    page = open_page("phone")
    to_checkout(page, slug, "/en")
    page.get_by_label("Your name").fill("Jane Tourist")
    page.get_by_label("Phone number").fill("0905123456")
    combobox = page.get_by_role("combobox", name="Commune or ward")
    combobox.fill("hoan kiem")
    expect(page.get_by_role("listbox")).to_contain_text("No commune or ward of this province has that name.")
    page.get_by_label("House number, street, village").fill("1 Trần Hưng Đạo")
    page.log.expect_error_status("/en/checkout")  # the refused form answers 400
    page.get_by_role("button", name="Place the order").click()
    expect(page.locator("#commune-error")).to_have_text("Choose the commune or ward.")
    combobox = page.get_by_role("combobox", name="Commune or ward")
    expect(combobox).to_have_attribute("aria-invalid", "true")
    expect(combobox).to_have_attribute("aria-describedby", re.compile(r"commune-error"))
    check_page(page)


def test_when_the_list_cannot_be_loaded_the_button_comes_back(open_page, in_demo):
    slug = in_demo(a_product_sold_online)
    page = open_page("phone")
    to_checkout(page, slug, "/en")
    page.route(re.compile(r"/api/v1/provinces/"), lambda route: route.abort())
    page.get_by_label("Province or city").select_option(label="Huế")
    button = page.get_by_role("button", name="Choose the province")
    expect(button).to_be_visible()
    expect(page.get_by_role("combobox", name="Commune or ward")).to_be_disabled()
    button.click()
    expect(page.locator("select[name=province]")).to_have_value("Thành phố Huế")
    expect(page.get_by_role("combobox", name="Commune or ward")).to_be_enabled()


def test_without_javascript_a_button_lists_the_provinces_communes(open_page, in_demo, check_page):
    slug = in_demo(a_product_sold_online)
    page = open_page("phone", java_script_enabled=False)
    to_checkout(page, slug)
    page.get_by_label("Tên của bạn").fill("Võ Văn Nam")
    page.get_by_label("Số điện thoại").fill("0988 123 456")
    page.get_by_label("Số nhà, đường, thôn xóm").fill("7 Hùng Vương")
    check_page(page)
    page.get_by_label("Tỉnh hoặc thành phố").select_option(label="Hà Nội")
    page.get_by_role("button", name="Chọn tỉnh, thành phố này").click()
    expect(page).to_have_url(re.compile(r"/checkout$"))
    expect(page.get_by_label("Xã hoặc phường")).to_be_focused()
    expect(page.get_by_label("Xã hoặc phường")).to_be_in_viewport()
    expect(page.get_by_label("Tên của bạn")).to_have_value("Võ Văn Nam")
    expect(page.get_by_label("Số nhà, đường, thôn xóm")).to_have_value("7 Hùng Vương")
    commune = page.get_by_label("Xã hoặc phường")
    expect(commune.locator("option", has_text="Phường Hoàn Kiếm")).to_have_count(1)
    expect(commune.locator("option", has_text="Phường Cẩm Thành")).to_have_count(0)
    check_page(page)
    commune.select_option("Phường Hoàn Kiếm")
    page.get_by_label("Thanh toán khi nhận hàng").check()
    page.get_by_role("button", name="Đặt hàng").click()
    expect(page).to_have_url(re.compile(r"/orders/QN\w{8}$"))
    number = page.url.rsplit("/", 1)[1]
    assert in_demo(lambda: order_address(number)) == ("Thành phố Hà Nội", "Phường Hoàn Kiếm", "7 Hùng Vương")
