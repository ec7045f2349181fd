"""The product page's buy bar (fixed at the bottom of a phone's screen), as the server writes it: the price, a
real form to the cart's add route that works without JavaScript, at most what is left; a product out of stock
says so, with no button; a product that cannot be bought online has no bar. And the header's menu markup."""
from html.parser import HTMLParser

import pytest

from storefront.extensions import db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict, parent=None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list = []  # Elements and strings

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list["Element"]:
        return [element for element in self.iter()
                if (tag is None or element.tag == tag) and (cls is None or cls in element.classes)
                and all(element.attrs.get(name.rstrip("_")) == value for name, value in attrs.items())]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> "Element | None":
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None

    @property
    def text(self) -> str:
        parts = [child if isinstance(child, str) else child.text for child in self.children]
        return " ".join("".join(parts).split())  # spaces, no-break spaces included, made one


class Document(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.root = self.current = Element("#document", {})
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def page(client, url: str) -> Element:
    response = client.get(url)
    assert response.status_code == 200, url
    return Document(response.get_data(as_text=True)).root


WORDS = {
    "": {"add": "Thêm vào giỏ hàng", "out": "Hết hàng", "where": "Nơi mua", "menu": "Trình đơn", "cart": "Giỏ hàng"},
    "/en": {"add": "Add to cart", "out": "Out of stock", "where": "Where to buy", "menu": "Menu", "cart": "Cart"},
}


@pytest.mark.parametrize("lang", ["", "/en"])
def test_the_bar_is_a_plain_form_to_the_cart_with_the_price_and_at_most_what_is_left(client, make_buyable, lang):
    product = make_buyable(price=185_000, stock=3, unit_vi="Hũ 250 g", unit_en="250 g jar")
    db.session.commit()
    document = page(client, f"{lang}/products/{product.slug}")
    assert "has-buy-bar" in document.find("body").classes  # the footer keeps room under the bar
    bars = document.find_all("div", "buy-bar")
    assert len(bars) == 1
    bar = bars[0]
    assert "buy-bar--out" not in bar.classes
    price = bar.find("p", "buy-bar__price")
    assert "185.000 ₫" in price.text and ("Hũ 250 g" if lang == "" else "250 g jar") in price.text
    form = bar.find("form")
    assert form.attrs["method"] == "post" and form.attrs["action"] == f"{lang}/cart/add"
    fields = {field.attrs["name"]: field.attrs for field in form.find_all("input")}
    # No per-visitor token: the page is the same for everyone (tests/site/test_cross_site_posts.py).
    assert fields["product_id"]["value"] == str(product.id) and "csrf_token" not in fields
    quantity = fields["quantity"]
    assert (quantity["type"], quantity["min"], quantity["max"], quantity["value"]) == ("number", "1", "3", "1")
    label = form.find("label", for_=quantity["id"])
    assert label is not None and label.text
    button = form.find("button", type="submit")
    assert button.text == WORDS[lang]["add"]
    # The one form of the page that adds to the cart: the bar is the buy box, not a second copy of it.
    assert len(document.find_all("form", action=f"{lang}/cart/add")) == 1

    # What the form sends puts the product in the cart.
    sent = {name: attrs["value"] for name, attrs in fields.items()}
    response = client.post(form.attrs["action"], data={**sent, "quantity": "2"})
    assert response.status_code == 303 and response.location.endswith(f"{lang}/cart")
    cart = page(client, f"{lang}/cart")
    assert cart.find("a", "cart-link").find("span", "cart-link__text").text == f"{WORDS[lang]['cart']} (2)"


def test_the_quantity_is_capped_at_the_carts_limit_when_more_is_in_stock(app, client, make_buyable):
    product = make_buyable(stock=500)
    db.session.commit()
    bar = page(client, f"/products/{product.slug}").find("div", "buy-bar")
    assert bar.find("input", name="quantity").attrs["max"] == str(app.config["CART_MAX_QUANTITY"])


@pytest.mark.parametrize("lang", ["", "/en"])
def test_a_product_out_of_stock_shows_it_in_the_bar_with_no_button(client, make_buyable, lang):
    product = make_buyable(price=60_000, stock=0)
    db.session.commit()
    document = page(client, f"{lang}/products/{product.slug}")
    bar = document.find("div", "buy-bar")
    assert "buy-bar--out" in bar.classes
    assert "60.000 ₫" in bar.find("p", "buy-bar__price").text
    assert bar.find("p", "buy-bar__out").text == WORDS[lang]["out"]
    assert bar.find("form") is None and bar.find("button") is None
    assert document.find("form", action=f"{lang}/cart/add") is None
    where = bar.find("a", "buy-bar__where")
    assert where.text == WORDS[lang]["where"] and where.attrs["href"] == "#where-to-buy"
    assert document.find(id="where-to-buy") is not None  # where the link leads


@pytest.mark.parametrize("fields", [{"sold_online": False}, {"group": 6, "subgroup": "eco_tourism"},
                                    {"price": None}, {"stars": None}],
                         ids=["not-sold-online", "place-to-visit", "no-price", "not-certified"])
def test_no_bar_on_a_product_that_is_not_sold_online(client, make_product, fields):
    product = make_product(**{"sold_online": True, **fields})
    db.session.commit()
    document = page(client, f"/products/{product.slug}")
    assert document.find("div", "buy-bar") is None
    assert "has-buy-bar" not in document.find("body").classes
    assert document.find("form", action="/cart/add") is None


@pytest.mark.parametrize("lang", ["", "/en"])
def test_the_header_menu_is_a_details_button_for_the_panel_that_follows_it(client, lang):
    document = page(client, f"{lang}/")
    header = document.find("header", "site-header")
    menu = header.find("details", "site-menu")
    assert "open" not in menu.attrs  # folded until the shopper opens it
    summary = menu.find("summary")
    assert summary.text == WORDS[lang]["menu"]
    panel = header.find(id=summary.attrs["aria-controls"])
    assert panel is not None and "site-menu__panel" in panel.classes
    siblings = [child for child in menu.parent.children if isinstance(child, Element)]
    assert siblings[siblings.index(menu) + 1] is panel  # the CSS shows the panel that follows an open menu
    assert panel.find("nav", "site-nav") and panel.find("nav", "site-account") and panel.find("nav", "lang-switch")
    assert len(panel.find("nav", "site-nav").find_all("a")) == 5
    # The cart is in the bar, outside the menu, even when empty.
    cart = header.find("a", "cart-link")
    assert cart is not None and panel.find("a", "cart-link") is None
    assert cart.attrs["href"] == f"{lang}/cart" and cart.find("span", "cart-link__text").text == WORDS[lang]["cart"]
    assert cart.find("span", "cart-link__count") is None
    assert header.find("form", "search-box").attrs["role"] == "search"
