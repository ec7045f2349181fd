"""A VietQR order paid by itself: the bank feed (SePay) reports the transfer and the buyer's order page shows
it. On a phone with JavaScript the page notices on its own, without being reloaded by hand; without
JavaScript its "check again" link shows it. A transfer short of the total leaves the order waiting and the
page says what was received. Each test buys its own order and reads that one alone (the demo database is
shared by every browser test)."""
import json
import re
import secrets
import urllib.error
import urllib.request

import pytest
from flask import current_app
from playwright.sync_api import expect
from sqlalchemy import select

from storefront.bankfeed.feeds import FEEDS, TransferFacts
from storefront.bankfeed.models import BankTransfer, TransferState
from storefront.catalog.models import Product
from storefront.clock import utcnow
from storefront.extensions import db
from storefront.i18n import format_vnd
from storefront.orders.models import Order, OrderStatus, PaymentMethod

pytestmark = pytest.mark.e2e

AWAITING, PAID = "Chờ thanh toán", "Đã thanh toán"
VIETQR = "Chuyển khoản ngân hàng (VietQR)"
CHECK_AGAIN = "Kiểm tra lại"


def a_product_to_buy(offset: int = 0) -> str:
    """A product sold online with plenty in stock, so the other browser tests' orders never exhaust it."""
    product = db.session.scalars(
        select(Product).where(Product.sold_online.is_(True), Product.stock > 20, Product.price.isnot(None))
        .order_by(Product.stock.desc(), Product.id).offset(offset).limit(1)).first()
    assert product is not None, "the demo needs a product sold online, well in stock"
    return product.slug


def order_by_number(number: str) -> Order:
    return db.session.scalar(select(Order).where(Order.number == number))


def buy_by_vietqr(page, slug: str, phone: str) -> str:
    """Product page, cart, checkout paying by bank transfer: the new order's number, its page open."""
    page.goto(f"/products/{slug}")
    page.get_by_role("button", name="Thêm vào giỏ hàng").click()
    expect(page).to_have_url(re.compile(r"/cart$"))
    page.get_by_role("link", name="Đặt hàng").click()
    page.get_by_label("Tên của bạn").fill("Phạm Minh Châu")
    page.get_by_label("Số điện thoại").fill(phone)
    commune = page.get_by_label("Xã hoặc phường")
    if page.javascript_enabled:  # the searchable list, typed without tone marks
        commune.fill("nghia lo")
        page.get_by_role("option", name="Phường Nghĩa Lộ").click()
    else:
        commune.select_option("Phường Nghĩa Lộ")
    page.get_by_label("Số nhà, đường, thôn xóm").fill("48 Quang Trung")
    page.get_by_label(VIETQR).check()
    page.get_by_role("button", name="Đặt hàng").click()
    expect(page).to_have_url(re.compile(r"/orders/QN\w{8}$"))
    number = page.url.rsplit("/", 1)[1]
    expect(page.locator("#order-status")).to_have_text(AWAITING)
    expect(page.locator("#transfer-reference")).to_have_text(number)
    return number


def the_order(in_demo, number: str) -> tuple[OrderStatus, PaymentMethod, int]:
    def read():
        order = order_by_number(number)
        return order.status, order.payment_method, order.total
    return in_demo(read)


def deliver_transfer(in_demo, live_server: str, number: str, amount: int | None = None) -> dict:
    """SePay's delivery of an incoming transfer naming `number` (of the order's total unless `amount`), signed
    with the demo app's own secret and posted over HTTP to the running shop, as SePay would post it."""
    def signed():
        config = current_app.config
        reference = f"FT{secrets.randbelow(10**10):010d}"
        facts = TransferFacts(
            provider_id=str(10**11 + secrets.randbelow(10**11)), account_number=config["VIETQR_ACCOUNT_NUMBER"],
            incoming=True, amount=amount if amount is not None else order_by_number(number).total,
            description=f"MBVCB.{reference[2:]}.{number}.CT tu 0987654321 PHAM MINH CHAU",
            bank_reference=reference, bank=config["VIETQR_BANK_NAME"] or "Vietcombank", transferred_at=utcnow())
        return FEEDS["sepay"].signed_delivery(facts, config)

    body, headers = in_demo(signed)
    request = urllib.request.Request(f"{live_server}/payments/bank-feed/sepay", data=body, headers=headers,
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the test's own server)
            status, answer = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, answer = error.code, error.read().decode()
    assert status == 200, f"the bank feed's delivery was answered {status}: {answer}"
    return json.loads(answer)


def simulate_transfer(demo_app, in_demo, live_server: str, number: str, amount: int | None = None) -> str:
    """The same delivery, by `flask payments simulate-transfer ORDER [AMOUNT] --url …` against the server.
    Run inside the demo app's context: the test app's context is current during every test (the autouse
    `database` fixture), and a command finding an app context in place uses that one."""
    args = ["payments", "simulate-transfer", number] + ([str(amount)] if amount is not None else [])
    result = in_demo(lambda: demo_app.test_cli_runner().invoke(args=[*args, "--url", live_server]))
    assert result.exit_code == 0, result.output
    return result.output


def test_a_vietqr_order_turns_paid_on_the_phone_by_itself(open_page, in_demo, check_page, live_server):
    slug = in_demo(a_product_to_buy)
    page = open_page("phone", permissions=["clipboard-read", "clipboard-write"])
    number = buy_by_vietqr(page, slug, phone="0978 111 222")
    expect(page.locator(".vietqr svg")).to_be_visible()
    status, method, total = the_order(in_demo, number)
    assert (status, method) == (OrderStatus.AWAITING_PAYMENT, PaymentMethod.VIETQR)
    expect(page.locator(".payment-box")).to_contain_text(format_vnd(total))

    # Paying from this very phone: each detail copies in one tap, the time left runs, the code saves.
    for what, value in (("số tài khoản", in_demo(lambda: current_app.config["VIETQR_ACCOUNT_NUMBER"])),
                        ("số tiền", str(total)), ("nội dung chuyển khoản", number)):
        page.get_by_role("button", name=f"Sao chép {what}").click()
        assert page.evaluate("navigator.clipboard.readText()") == value
        expect(page.locator("#copy-status")).to_have_text(f"Đã chép: {value}")
    countdown = page.locator(".countdown")
    expect(countdown).to_have_text(re.compile(r"^Còn lại: \d+:\d\d$"))
    before = countdown.inner_text()
    expect(countdown).not_to_have_text(before, timeout=3000)
    with page.expect_download() as saved:
        page.get_by_role("link", name="Lưu mã QR thành ảnh").click()
    assert saved.value.suggested_filename == f"vietqr-{number}.png"
    check_page(page, accessibility=True)
    # A mark on this very document: it is gone only if the page reloads, and the test never reloads it.
    page.evaluate("window.__notReloadedYet = true")

    answer = deliver_transfer(in_demo, live_server, number)
    assert (answer["outcome"], answer["detail"], answer.get("order")) == ("matched", "paid", number), answer

    expect(page.locator("#order-status")).to_have_text(PAID, timeout=20_000)
    assert page.evaluate("window.__notReloadedYet === undefined"), "the page was not shown again by itself"
    assert page.url.endswith(f"/orders/{number}")
    expect(page.locator(".payment-box")).to_have_count(0)
    expect(page.locator(".vietqr")).to_have_count(0)
    expect(page.locator("#transfer-reference")).to_have_count(0)
    expect(page.locator(".timeline__step--done").last).to_contain_text(PAID)
    expect(page.locator(".timeline [aria-current=step]")).to_contain_text("Chủ thể sản xuất đang chuẩn bị hàng")
    check_page(page, accessibility=True)
    assert the_order(in_demo, number)[0] is OrderStatus.PAID


def test_without_javascript_check_again_shows_the_transfer_paid(open_page, in_demo, check_page, demo_app,
                                                                 live_server):
    slug = in_demo(lambda: a_product_to_buy(1))
    page = open_page("phone", java_script_enabled=False)
    number = buy_by_vietqr(page, slug, phone="0978 333 444")
    expect(page.locator(".vietqr svg")).to_be_visible()
    check_again = page.get_by_role("link", name=CHECK_AGAIN)
    expect(check_again).to_have_attribute("href", re.compile(rf"/orders/{number}$"))
    # Without JavaScript nothing that needs it shows: no copy button, no countdown (the time is written).
    expect(page.get_by_role("button", name=re.compile("^Sao chép"))).to_have_count(0)
    expect(page.locator(".countdown")).to_be_hidden()
    check_page(page, accessibility=True)

    output = simulate_transfer(demo_app, in_demo, live_server, number)
    assert '"outcome":"matched"' in output.replace(" ", ""), output
    # Nothing runs on this page: it still says what it said until the buyer asks again.
    expect(page.locator("#order-status")).to_have_text(AWAITING)
    check_again.click()
    expect(page).to_have_url(re.compile(rf"/orders/{number}$"))
    expect(page.locator("#order-status")).to_have_text(PAID)
    expect(page.locator(".payment-box")).to_have_count(0)
    expect(page.get_by_role("link", name=CHECK_AGAIN)).to_have_count(0)
    check_page(page, accessibility=True)
    assert the_order(in_demo, number)[0] is OrderStatus.PAID


def test_a_transfer_short_of_the_total_leaves_the_order_waiting(open_page, in_demo, check_page, live_server):
    slug = in_demo(lambda: a_product_to_buy(2))
    page = open_page("phone", java_script_enabled=False)
    number = buy_by_vietqr(page, slug, phone="0978 555 666")
    _status, _method, total = the_order(in_demo, number)
    short = total - 1_000 if total > 1_000 else total // 2
    assert 0 < short < total

    answer = deliver_transfer(in_demo, live_server, number, amount=short)
    assert (answer["outcome"], answer["detail"], answer.get("order")) == ("to_reconcile", "underpaid", number), \
        answer
    page.get_by_role("link", name=CHECK_AGAIN).click()
    expect(page.locator("#order-status")).to_have_text(AWAITING)
    # Still payable: the code and the details are there, and a note says what arrived (its amount, loosely).
    expect(page.locator(".vietqr svg")).to_be_visible()
    note = page.locator(".payment-box .note[role=status]")
    expect(note).to_have_count(1)
    expect(note).to_contain_text(format_vnd(short))
    expect(note).to_contain_text(format_vnd(total))
    check_page(page, accessibility=True)
    assert the_order(in_demo, number)[0] is OrderStatus.AWAITING_PAYMENT

    def transfers_of_this_order():
        order_id = order_by_number(number).id
        return [(transfer.amount, transfer.state) for transfer in db.session.scalars(
            select(BankTransfer).where(BankTransfer.order_id == order_id))]
    assert in_demo(transfers_of_this_order) == [(short, TransferState.TO_RECONCILE)]
