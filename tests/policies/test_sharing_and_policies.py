"""Sharing and trust: the preview a shared link shows (Open Graph, Twitter cards), the footer naming who
runs the shop, and the delivery, payment, returns and privacy pages."""
import io
import re
from html.parser import HTMLParser

import pytest
from PIL import Image

from storefront.catalog.models import ProductImage
from storefront.extensions import db
from storefront.media.pipeline import store_image
from storefront.policies.pages import POLICIES
from storefront.shipping.rates import load_rates


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, str] = {}
        self.tel: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.links["canonical"] = attrs["href"]
        elif tag == "a" and (attrs.get("href") or "").startswith("tel:"):
            self.tel.append(attrs["href"])


def read(response) -> _Head:
    assert response.status_code == 200, response.status_code
    head = _Head()
    head.feed(response.get_data(as_text=True))
    return head


def og(head: _Head, key: str) -> str:
    values = head.meta.get(key)
    assert values and len(values) == 1, f"{key}: {values}"
    return values[0]


def photo(color=(180, 60, 30), size=(1200, 900)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def with_photo(product, alt_vi="Chai nước mắm", alt_en="A bottle of fish sauce"):
    image = store_image(photo())
    db.session.flush()
    product.images.append(ProductImage(image_id=image.id, alt_vi=alt_vi, alt_en=alt_en))
    db.session.commit()
    return image


# --- Open Graph and Twitter cards -------------------------------------------------------------------

def test_a_product_shares_its_own_photo_large_and_absolute_its_price_and_its_clean_address(client, make_product):
    product = make_product(name_vi="Nước mắm Sa Huỳnh", name_en="Sa Huynh fish sauce", price=185_000,
                           summary_vi="Nước mắm truyền thống", summary_en="Traditional fish sauce")
    image = with_photo(product)
    largest = image.widths[-1]

    head = read(client.get(f"/products/{product.slug}?utm_source=zalo&fbclid=abc"))
    assert og(head, "og:type") == "product"
    assert og(head, "og:title") == "Nước mắm Sa Huỳnh"
    assert og(head, "og:description") == "Nước mắm truyền thống"
    assert og(head, "og:site_name") == "OCOP Quảng Ngãi"
    assert og(head, "og:locale") == "vi_VN" and og(head, "og:locale:alternate") == "en_US"
    # The address to share is the product's own, without the tracking parameters it was opened with.
    assert og(head, "og:url") == f"http://localhost/products/{product.slug}"
    expected = f"http://localhost/media/{image.key[:2]}/{image.key}-{largest}.webp"
    assert og(head, "og:image") == expected
    assert og(head, "twitter:image") == expected
    assert og(head, "og:image:width") == str(largest)
    assert og(head, "og:image:height") == str(image.height_for(largest))
    assert og(head, "og:image:alt") == "Chai nước mắm"
    assert og(head, "twitter:card") == "summary_large_image"
    assert og(head, "product:price:amount") == "185000"
    assert og(head, "product:price:currency") == "VND"
    # The image the preview points at is served.
    with client.get(expected.removeprefix("http://localhost")) as picture:
        assert picture.status_code == 200 and picture.mimetype == "image/webp"

    english = read(client.get(f"/en/products/{product.slug}"))
    assert og(english, "og:title") == "Sa Huynh fish sauce"
    assert og(english, "og:description") == "Traditional fish sauce"
    assert og(english, "og:locale") == "en_US" and og(english, "og:locale:alternate") == "vi_VN"
    assert og(english, "og:url") == f"http://localhost/en/products/{product.slug}"
    assert og(english, "og:image:alt") == "A bottle of fish sauce"


def test_shared_texts_are_escaped(client, make_product, make_producer):
    producer = make_producer(name='Cơ sở "Ba" <b>Tơ</b> & con')
    product = make_product(name_vi='Quế "Trà Bồng" <script>alert(1)</script> & hồi', producer=producer,
                           summary_vi='Tóm tắt "ngắn" <i>đậm</i>')
    body = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert ('<meta property="og:title" content="Quế &#34;Trà Bồng&#34; &lt;script&gt;alert(1)&lt;/script&gt; '
            '&amp; hồi">') in body
    head = read(client.get(f"/products/{product.slug}"))
    assert og(head, "og:title") == 'Quế "Trà Bồng" <script>alert(1)</script> & hồi'
    assert og(head, "twitter:description") == 'Tóm tắt "ngắn" <i>đậm</i>'
    producer_page = client.get(f"/producers/{producer.slug}").get_data(as_text=True)
    assert "<b>Tơ</b>" not in producer_page
    assert og(read(client.get(f"/producers/{producer.slug}")), "og:title") == 'Cơ sở "Ba" <b>Tơ</b> & con'


def test_a_product_without_a_photo_or_a_certificate_shares_the_default_picture_and_no_price(
        client, make_product, make_certificate, on_day):
    lapsed = make_product(stars=None)
    make_certificate(lapsed, decision_date=on_day(-1200), valid_until=on_day(-1))
    head = read(client.get(f"/products/{lapsed.slug}"))
    image = og(head, "og:image")
    assert re.fullmatch(r"http://localhost/static/img/share-default\.png\?v=[0-9a-f]{12}", image)
    assert (og(head, "og:image:width"), og(head, "og:image:height")) == ("1200", "630")
    assert "product:price:amount" not in head.meta and "og:price:amount" not in head.meta
    with client.get(image.removeprefix("http://localhost")) as picture:
        assert picture.status_code == 200 and picture.mimetype == "image/png"
        assert Image.open(io.BytesIO(picture.data)).size == (1200, 630)


def test_a_producer_shares_a_photo_of_its_products_or_its_address(client, make_product, make_producer):
    producer = make_producer(name="HTX Tỏi Lý Sơn")
    product = make_product(producer=producer)
    head = read(client.get(f"/en/producers/{producer.slug}?ref=x"))
    assert og(head, "og:title") == "HTX Tỏi Lý Sơn"
    assert og(head, "og:type") == "website"
    assert og(head, "og:url") == f"http://localhost/en/producers/{producer.slug}"
    assert "share-default.png" in og(head, "og:image")

    image = with_photo(product)
    head = read(client.get(f"/producers/{producer.slug}"))
    assert og(head, "og:image") == f"http://localhost/media/{image.key[:2]}/{image.key}-{image.widths[-1]}.webp"


@pytest.mark.parametrize("path", ["/", "/en/products", "/sales-points", "/policies/privacy", "/en/orders/find"])
def test_every_other_page_shares_the_site_name_and_the_default_picture(client, path):
    head = read(client.get(path))
    assert og(head, "og:site_name") == "OCOP Quảng Ngãi"
    assert og(head, "og:type") == "website"
    assert og(head, "og:title") and og(head, "og:description")
    assert og(head, "og:url") == head.links["canonical"]
    assert og(head, "og:image").startswith("http://localhost/static/img/share-default.png?v=")
    assert og(head, "og:locale") == ("en_US" if path.startswith("/en/") else "vi_VN")


def test_shared_addresses_use_the_public_address_when_it_is_set(app, client, make_product, monkeypatch):
    """A forged Host header must not reach a preview (pages are cached by path, for everyone)."""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://ocop.example.vn")
    product = make_product()
    image = with_photo(product)
    head = read(client.get(f"/products/{product.slug}", headers={"Host": "evil.example"}))
    assert og(head, "og:url") == f"https://ocop.example.vn/products/{product.slug}"
    assert head.links["canonical"] == f"https://ocop.example.vn/products/{product.slug}"
    assert og(head, "og:image").startswith(f"https://ocop.example.vn/media/{image.key[:2]}/")
    home = read(client.get("/en/", headers={"Host": "evil.example"}))
    assert og(home, "og:image").startswith("https://ocop.example.vn/static/img/share-default.png")
    assert og(home, "og:url") == "https://ocop.example.vn/en/"


# --- The footer: who runs the shop ------------------------------------------------------------------

OPERATOR = {"OPERATOR_NAME": "Công ty Thử <Nghiệm> & Cộng sự", "OPERATOR_ADDRESS": "12 Lê Lợi, Quảng Ngãi",
            "OPERATOR_HOTLINE": "0905.381.246", "OPERATOR_EMAIL": "hotro@shop.example",
            "OPERATOR_REGISTRATION": "4300123456"}


def footer(response) -> str:
    body = response.get_data(as_text=True)
    return body[body.index('<footer class="site-footer">'):]


@pytest.fixture
def operator(app, monkeypatch):
    def configure(**values):
        for key, value in {**OPERATOR, **values}.items():
            monkeypatch.setitem(app.config, key, value)
    return configure


def test_the_footer_names_the_operator_from_the_configuration(client, operator):
    operator()
    for path in ("/", "/en/products"):
        html = footer(client.get(path))
        assert "Công ty Thử &lt;Nghiệm&gt; &amp; Cộng sự" in html
        assert "12 Lê Lợi, Quảng Ngãi" in html
        assert '<a href="tel:+84905381246">0905.381.246</a>' in html
        assert '<a href="mailto:hotro@shop.example">hotro@shop.example</a>' in html
        assert "4300123456" in html
    assert "Mã số đăng ký kinh doanh:" in footer(client.get("/"))
    assert "Business registration number:" in footer(client.get("/en/"))


@pytest.mark.parametrize("typed,dialled", [("0255 555 0000", "tel:+842555550000"),
                                           ("+84 905 381 246", "tel:+84905381246"),
                                           ("(0255) 3822-123", "tel:+842553822123")])
def test_the_hotline_is_dialled_in_its_international_form(client, operator, typed, dialled):
    operator(OPERATOR_HOTLINE=typed)
    assert read(client.get("/")).tel == [dialled]


def test_a_hotline_that_is_no_phone_number_is_shown_without_a_link(client, operator):
    operator(OPERATOR_HOTLINE="1900 xxxx")
    html = footer(client.get("/"))
    assert "1900 xxxx" in html and "tel:" not in html


def test_without_operator_settings_the_footer_leaves_the_block_out(client, operator):
    operator(OPERATOR_NAME="", OPERATOR_ADDRESS="", OPERATOR_HOTLINE="", OPERATOR_EMAIL="",
             OPERATOR_REGISTRATION="")
    html = footer(client.get("/"))
    assert 'class="operator"' not in html and "tel:" not in html and "mailto:" not in html
    # The policies still say whom to ask.
    assert "Văn phòng OCOP tỉnh Quảng Ngãi" in client.get("/policies/returns").get_data(as_text=True)


def test_the_demo_and_test_settings_name_a_fictional_operator():
    from storefront.config import DevelopmentConfig, ProductionConfig, TestConfig

    for config in (DevelopmentConfig, TestConfig):
        assert "(demo)" in config.OPERATOR_NAME and "(demo)" in config.OPERATOR_REGISTRATION
        assert config.OPERATOR_EMAIL.endswith(".example")
    assert ProductionConfig.OPERATOR_NAME == "" or "OPERATOR_NAME" in __import__("os").environ


def test_the_footer_links_every_policy_in_the_visitors_language(client):
    for lang, prefix in (("vi", ""), ("en", "/en")):
        html = footer(client.get(f"{prefix}/"))
        for name in POLICIES:
            assert f'href="{prefix}/policies/{name}"' in html, (lang, name)


# --- The policy pages --------------------------------------------------------------------------------

HEADINGS = {"shipping": ("Giao hàng và nhận tại điểm bán", "Delivery and pickup"), "payment": ("Thanh toán", "Payment"),
            "returns": ("Đổi trả và hoàn tiền", "Returns and refunds"),
            "privacy": ("Bảo vệ thông tin cá nhân", "Privacy")}


@pytest.mark.parametrize("name", list(POLICIES))
def test_each_policy_page_exists_in_both_languages_with_the_operators_details(client, operator, name):
    operator()
    for prefix, heading, lang in (("", HEADINGS[name][0], "vi"), ("/en", HEADINGS[name][1], "en")):
        response = client.get(f"{prefix}/policies/{name}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert f'<html lang="{lang}">' in html
        assert f"<h1>{heading}</h1>" in html
        main = html[html.index('<main'):html.index('</main>')]
        assert '<a href="tel:+84905381246">0905.381.246</a>' in main
        assert "mailto:hotro@shop.example" in main and "4300123456" in main
        assert "Công ty Thử &lt;Nghiệm&gt; &amp; Cộng sự" in main
        assert f'aria-current="page">{heading}</a>' in main  # the list of the other policies


def test_the_policies_say_what_the_shop_is_set_to_do(app, client, monkeypatch):
    monkeypatch.setitem(app.extensions, "shipping_rates", load_rates(
        {"SHIPPING_ZONES": '{"home": {"fee": 25000, "days": [1, 1]}}', "FREE_SHIPPING_FROM": "400000"}))
    monkeypatch.setitem(app.config, "RETURN_DAYS", 10)
    shipping = client.get("/policies/shipping").get_data(as_text=True)
    assert "25.000\u00a0₫" in shipping and "400.000\u00a0₫" in shipping and "1 ngày" in shipping
    assert "60.000\u00a0₫" in shipping and "5–8 ngày" in shipping  # the islands keep their default
    assert "10 days of receiving it" in client.get("/en/policies/returns").get_data(as_text=True)
    assert "trong vòng 10 ngày" in client.get("/policies/returns").get_data(as_text=True)
    monkeypatch.setitem(app.config, "RETURN_DAYS", 1)
    assert "1 day of receiving it" in client.get("/en/policies/returns").get_data(as_text=True)
    monkeypatch.setitem(app.config, "UNPAID_ORDER_MINUTES", 45)
    assert "held for you for 45 minutes" in client.get("/en/policies/payment").get_data(as_text=True)


def test_the_payment_page_lists_only_the_ways_to_pay_the_checkout_offers(app, client, monkeypatch):
    page = client.get("/en/policies/payment").get_data(as_text=True)
    assert "Cash on delivery" in page and "Bank transfer by VietQR" in page
    assert "Stripe accepts" not in page  # the test shop has no Stripe keys
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "sk_test_x")
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", "whsec_x")
    monkeypatch.setitem(app.config, "VIETQR_ACCOUNT_NUMBER", "")
    page = client.get("/en/policies/payment").get_data(as_text=True)
    assert "Stripe accepts" in page and "Bank transfer by VietQR" not in page


def test_the_privacy_page_says_who_sees_the_data_and_how_to_have_it_deleted(client):
    page = client.get("/en/policies/privacy").get_data(as_text=True)
    for words in ("The producer of each product in your order", "OCOP office", "10 years",
                  "ask for it to be deleted", "never sell it"):
        assert words in page


@pytest.mark.parametrize("path", ["/policies/refunds", "/en/policies/cookies", "/policies/Returns",
                                  "/policies/returns%20", "/policies/", "/policies/returns/extra",
                                  "/policies/" + "a" * 300])
def test_an_unknown_policy_is_a_404_in_the_visitors_language(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert f'<html lang="{"en" if path.startswith("/en/") else "vi"}">' in response.get_data(as_text=True)


def test_the_sitemap_lists_the_policies_in_both_languages(client):
    body = client.get("/sitemap.xml").get_data(as_text=True)
    for name in POLICIES:
        assert f"<loc>http://localhost/policies/{name}</loc>" in body
        assert f"<loc>http://localhost/en/policies/{name}</loc>" in body
