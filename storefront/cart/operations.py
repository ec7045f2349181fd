"""Changing the cart. Every quantity is checked against what may be bought now and capped at what is left,
so the cart never holds more than can be ordered; the shopper is told when it holds less than asked.
The cart is the session's (store.py): these read products and write no database row."""
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..catalog.models import Product
from ..certification.queries import stars_by_product
from ..errors import DomainError, NotFound
from ..extensions import db
from ..i18n import localized
from ..orders.rules import most_per_order, problem_message, purchase_problem
from . import store


class CartRefused(DomainError):
    """The product cannot go in the cart: the message says why."""


@dataclass(frozen=True)
class Kept:
    """What the cart holds of one product after a change."""
    product: Product
    wanted: int
    kept: int

    @property
    def capped(self) -> bool:
        return self.kept < self.wanted

    def notice(self) -> str:
        """The one sentence that says the cart holds less than asked, and why."""
        name = localized(self.product, "name")
        if self.kept >= current_app.config["CART_MAX_QUANTITY"]:
            return _("%(product)s: at most %(limit)s in one order, so your cart has %(limit)s.",
                     product=name, limit=self.kept)
        return _("%(product)s: only %(count)s left, so your cart has %(count)s.", product=name, count=self.kept)


def _buyable_problem(product: Product) -> str | None:
    """Why `product` cannot be bought at all now (whatever the quantity), in the visitor's language."""
    problem = purchase_problem(product, product.id in stars_by_product([product.id]), 1)
    return f"{localized(product, 'name')}: {problem_message(problem, product)}" if problem else None


def add_to_cart(product_id: int | None, quantity: int) -> Kept:
    """Add `quantity` of a product to what the cart holds, capped at what may be ordered."""
    product = db.session.get(Product, product_id) if product_id else None
    if product is None:
        raise NotFound(_("This product is no longer in the shop."))
    refusal = _buyable_problem(product)
    if refusal:
        raise CartRefused(refusal)
    wanted = store.items().get(product.id, 0) + quantity
    kept = min(wanted, most_per_order(product))
    try:
        store.put(product.id, kept)
    except store.QuantityError:
        raise CartRefused(_("Your cart is full. Order what is in it first.")) from None
    return Kept(product, wanted, kept)


def set_quantities(wanted: dict[int, int]) -> list[Kept]:
    """Set the quantities of lines already in the cart (0 removes a line). A product that can be bought is
    capped at what may be ordered; one that cannot keeps the quantity asked, and its line says why.
    Returns the lines set, the capped ones saying so."""
    products = {product.id: product for product in db.session.scalars(
        select(Product).where(Product.id.in_([pid for pid, quantity in wanted.items() if quantity])))}
    certified = stars_by_product(list(products))
    changes = []
    for product_id, quantity in wanted.items():
        product = products.get(product_id)
        if quantity == 0:
            store.remove(product_id)
            continue
        kept = quantity
        if product is not None and purchase_problem(product, product_id in certified, 1) is None:
            kept = min(quantity, most_per_order(product))
        store.put(product_id, kept)
        if product is not None:
            changes.append(Kept(product, quantity, kept))
    return changes


class NotInCart(NotFound):
    """The product is not in this visitor's cart (never was, removed in another tab, or another's)."""


def set_quantity(product_id: int | None, quantity: int) -> Kept | None:
    """Set one line the cart already holds (the cart page's −/+ buttons): capped like every change, never
    adding a product. Returns the line as kept, or None for a product no longer in the shop."""
    if product_id is None or product_id not in store.items():
        raise NotInCart(_("This product is not in your cart."))
    changes = set_quantities({product_id: quantity})
    return changes[0] if changes else None
