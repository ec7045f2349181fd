"""The header on a phone: one compact sticky bar (brand with the demo badge, cart, menu button) over the search
field, both still on the screen after scrolling; the menu (a <details>) opens with and without JavaScript, its
links work, and with JavaScript Escape or a tap outside closes it. On a desktop the navigation is in view
without a menu. On a product page a buy bar at the bottom of a phone's screen adds to the cart, or says the
product is out of stock; it never hides the footer's last link. Vietnamese and English; check_page each time."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storefront.catalog.models import Product
from storefront.extensions import db
from tests.e2e.waiting import wait_until

pytestmark = pytest.mark.e2e

PHONE_HEIGHT = 844
# The sticky block on a 390×844 phone: a bar of 44 px targets and the search field under it. It was
# 270–320 px (a third of the screen) with the demo notice, the language switch and the navigation in it.
MOST_ON_A_PHONE = 120
MOST_ON_A_DESKTOP = 130  # the demo notice, the brand with search and cart, the navigation row

TEXT = {
    "vi": {"prefix": "", "menu": "Trình đơn", "main": "Chính", "products": "Sản phẩm", "sales_points": "Điểm bán",
           "sign_in": "Đăng nhập", "other_lang": "English", "search": "Tìm sản phẩm", "cart": "Giỏ hàng",
           "add": "Thêm vào giỏ hàng", "quantity": "Số lượng", "out": "Hết hàng", "where": "Nơi mua",
           "demo": "Bản demo", "demo_sentence": "Dữ liệu minh họa"},
    "en": {"prefix": "/en", "menu": "Menu", "main": "Main", "products": "Products", "sales_points": "Sales points",
           "sign_in": "Sign in", "other_lang": "Tiếng Việt", "search": "Search products", "cart": "Cart",
           "add": "Add to cart", "quantity": "Quantity", "out": "Out of stock", "where": "Where to buy",
           "demo": "Demo", "demo_sentence": "Demonstration data"},
}
LANGS = ["vi", "en"]


def products_sold_online(in_stock: bool) -> dict:
    def find():
        stock = Product.stock > 5 if in_stock else Product.stock <= 0
        product = db.session.scalars(
            select(Product).where(Product.sold_online.is_(True), Product.price.isnot(None), Product.group != 6,
                                  Product.shippable.is_(True), stock)
            .order_by(Product.id).limit(1)).first()
        assert product is not None, f"the demo needs a product sold online {'in' if in_stock else 'out of'} stock"
        return {"slug": product.slug, "stock": product.stock, "price": product.price}
    return find


def header_box(page) -> dict:
    return page.locator("header.site-header").bounding_box()


def on_screen(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height and locator.is_visible()


def menu_button(page):
    return page.locator("header .site-menu > summary")


def main_menu(page, lang):
    return page.get_by_role("navigation", name=TEXT[lang]["main"])


@pytest.mark.parametrize("lang", LANGS)
def test_the_phone_header_is_one_compact_bar_with_search_and_cart_in_reach_after_scrolling(open_page, check_page,
                                                                                          lang):
    text = TEXT[lang]
    page = open_page("phone")
    page.goto(text["prefix"] + "/products")
    box = header_box(page)
    assert box["y"] == 0 and box["height"] <= MOST_ON_A_PHONE, f"the header takes {box['height']} px"
    # The demo says so in the bar, not in a row of its own; the menu says it whole.
    expect(page.locator(".demo-notice")).to_be_hidden()
    badge = page.locator("header .demo-badge")
    expect(badge).to_have_text(text["demo"])
    assert on_screen(page, badge)
    expect(page.locator(".site-menu__demo")).to_be_hidden()
    # The navigation waits in the menu.
    expect(main_menu(page, lang)).to_be_hidden()
    expect(menu_button(page)).to_be_visible()
    check_page(page)

    page.mouse.wheel(0, 3000)
    wait_until(page, "window.scrollY > 1500")
    search = page.get_by_role("combobox", name=text["search"])
    cart = page.get_by_role("link", name=text["cart"], exact=True)
    assert on_screen(page, search) and on_screen(page, cart) and on_screen(page, menu_button(page))
    assert header_box(page)["y"] == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # One tap on the field, and a search from the middle of the page.
    search.tap()
    search.fill("tỏi")
    search.press("Enter")
    page.wait_for_url(re.compile(rf"{text['prefix']}/search\?q=t%E1%BB%8Fi"))
    expect(page.get_by_role("combobox", name=text["search"])).to_have_value("tỏi")
    check_page(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_menu_opens_and_its_links_work_with_and_without_javascript(open_page, check_page, lang, javascript):
    text = TEXT[lang]
    page = open_page("phone", java_script_enabled=javascript)
    page.goto(text["prefix"] + "/")
    menu = main_menu(page, lang)
    expect(menu).to_be_hidden()
    menu_button(page).click()
    expect(page.locator("header .site-menu")).to_have_attribute("open", "")
    expect(menu).to_be_visible()
    links = menu.get_by_role("link")
    expect(links).to_have_count(5)
    for link in links.all():
        assert on_screen(page, link), link.inner_text()
    expect(page.get_by_role("link", name=text["sign_in"])).to_be_visible()
    expect(page.get_by_role("link", name=text["other_lang"])).to_be_visible()
    expect(page.locator(".site-menu__demo")).to_contain_text(text["demo_sentence"])
    check_page(page)

    menu.get_by_role("link", name=text["sales_points"]).click()
    page.wait_for_url(f"**{text['prefix']}/sales-points")
    expect(main_menu(page, lang)).to_be_hidden()  # a new page starts with the menu folded
    menu_button(page).click()
    expect(main_menu(page, lang).get_by_role("link", name=text["sales_points"])).to_have_attribute("aria-current", "page")
    check_page(page)

    # The language switch is in the menu too, and keeps the page.
    page.get_by_role("navigation", name=re.compile("^(Ngôn ngữ|Language)$")) \
        .get_by_role("link", name=text["other_lang"]).click()
    other = "" if lang == "en" else "/en"
    page.wait_for_url(re.compile(rf"127\.0\.0\.1:\d+{other}/sales-points$"))

    # The button folds it again.
    menu_button(page).click()
    expect(page.locator("header .site-menu")).to_have_attribute("open", "")
    menu_button(page).click()
    expect(page.locator("header .site-menu")).not_to_have_attribute("open", "")


@pytest.mark.parametrize("lang", LANGS)
def test_with_javascript_escape_and_a_tap_outside_close_the_menu_and_the_keyboard_walks_into_it(open_page,
                                                                                              check_page, lang):
    text = TEXT[lang]
    page = open_page("phone")
    page.goto(text["prefix"] + "/")
    details = page.locator("header .site-menu")
    button = menu_button(page)
    button.focus()
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    expect(main_menu(page, lang).get_by_role("link", name=text["products"])).to_be_focused()
    page.keyboard.press("Escape")
    expect(details).not_to_have_attribute("open", "")
    expect(button).to_be_focused()

    button.click()
    expect(details).to_have_attribute("open", "")
    page.mouse.click(200, 830)  # the page below the panel
    expect(details).not_to_have_attribute("open", "")

    # Tabbing out of the last item of the menu folds it, so it does not cover where the focus went.
    button.click()
    page.locator("#site-menu-panel a").last.focus()
    page.keyboard.press("Tab")
    expect(details).not_to_have_attribute("open", "")
    check_page(page)


@pytest.mark.parametrize("lang", LANGS)
def test_on_a_desktop_the_navigation_is_in_view_without_a_menu(open_page, check_page, lang):
    text = TEXT[lang]
    page = open_page("desktop")
    page.goto(text["prefix"] + "/")
    expect(menu_button(page)).to_be_hidden()
    expect(page.locator(".demo-notice")).to_be_visible()
    expect(page.locator("header .demo-badge")).to_be_hidden()
    menu = main_menu(page, lang)
    expect(menu.get_by_role("link")).to_have_count(5)
    for link in menu.get_by_role("link").all():
        expect(link).to_be_visible()
    expect(page.get_by_role("link", name=text["sign_in"])).to_be_visible()
    expect(page.get_by_role("link", name=text["cart"], exact=True)).to_be_visible()
    bottom = header_box(page)
    assert bottom["y"] + bottom["height"] <= MOST_ON_A_DESKTOP, bottom
    menu.get_by_role("link", name=text["products"]).click()
    page.wait_for_url(f"**{text['prefix']}/products")
    check_page(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_buy_bar_adds_to_the_cart_on_a_phone(open_page, check_page, in_demo, lang, javascript):
    text = TEXT[lang]
    product = in_demo(products_sold_online(in_stock=True))
    page = open_page("phone", java_script_enabled=javascript)
    page.goto(f"{text['prefix']}/products/{product['slug']}")
    bar = page.locator(".buy-bar")
    box = bar.bounding_box()
    assert abs(box["y"] + box["height"] - PHONE_HEIGHT) <= 1 and box["height"] <= 90, box
    price = page.locator(".buy-bar__price .price")
    expect(price).to_have_text(re.compile(r"^[\d.]+\s₫$"))
    quantity = bar.get_by_label(text["quantity"])
    expect(quantity).to_have_attribute("max", str(min(product["stock"], 20)))
    expect(page.get_by_role("button", name=text["add"])).to_have_count(1)  # the bar is the buy box
    check_page(page)

    # Scrolled to the end, the bar is still there and the footer's last line is above it.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_timeout(100)
    assert on_screen(page, bar.get_by_role("button", name=text["add"]))
    last = page.locator(".site-footer a").last
    assert last.bounding_box()["y"] + last.bounding_box()["height"] <= bar.bounding_box()["y"]
    footer = page.locator(".site-footer > .wrap")
    assert footer.bounding_box()["y"] + footer.bounding_box()["height"] <= bar.bounding_box()["y"] + 1

    quantity.fill("2")
    bar.get_by_role("button", name=text["add"]).click()
    page.wait_for_url(re.compile(rf"{text['prefix']}/cart$"))
    expect(page.get_by_role("link", name=f"{text['cart']} (2)")).to_be_visible()
    expect(page.locator("header .cart-link__count")).to_have_text("2")
    check_page(page)


@pytest.mark.parametrize("lang", LANGS)
def test_a_product_out_of_stock_shows_it_in_the_bar_with_no_add_button(open_page, check_page, in_demo, lang):
    text = TEXT[lang]
    product = in_demo(products_sold_online(in_stock=False))
    page = open_page("phone")
    page.goto(f"{text['prefix']}/products/{product['slug']}")
    bar = page.locator(".buy-bar")
    expect(bar.locator(".buy-bar__out")).to_have_text(text["out"])
    expect(bar).to_be_visible()
    expect(page.get_by_role("button", name=text["add"])).to_have_count(0)
    bar.get_by_role("link", name=text["where"]).click()
    expect(page).to_have_url(re.compile(r"#where-to-buy$"))
    heading = page.locator("#where-to-buy h2")
    # Not under the sticky header after the jump.
    assert heading.bounding_box()["y"] >= header_box(page)["height"] - 1
    check_page(page)

    desktop = open_page("desktop")
    desktop.goto(f"{text['prefix']}/products/{product['slug']}")
    expect(desktop.locator(".buy-bar")).to_be_hidden()  # the page's note says it there
    expect(desktop.locator(".product__summary .note--out")).to_be_visible()


@pytest.mark.parametrize("lang", LANGS)
def test_on_a_desktop_the_buy_box_stays_in_the_page(open_page, check_page, in_demo, lang):
    text = TEXT[lang]
    product = in_demo(products_sold_online(in_stock=True))
    page = open_page("desktop")
    page.goto(f"{text['prefix']}/products/{product['slug']}")
    expect(page.locator(".buy-bar__price")).to_be_hidden()
    button = page.get_by_role("button", name=text["add"])
    expect(button).to_have_count(1)
    summary = page.locator(".product__summary").bounding_box()
    box = button.bounding_box()
    assert summary["y"] <= box["y"] <= summary["y"] + summary["height"]  # in the summary, not fixed below
    page.mouse.wheel(0, 1500)
    wait_until(page, "window.scrollY > 500")
    assert button.bounding_box()["y"] < 0  # it scrolls with the page
    check_page(page)
