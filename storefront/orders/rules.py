"""What may be bought online, said once: the product page, the cart and place_order all ask here."""
import enum

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..catalog.models import Product


class Problem(enum.StrEnum):
    UNAVAILABLE = "unavailable"      # unpublished or gone
    NOT_CERTIFIED = "not_certified"  # no certificate valid today
    NOT_SOLD_ONLINE = "not_sold_online"
    NOT_SHIPPABLE = "not_shippable"  # tourism: a place to visit
    NO_PRICE = "no_price"
    OUT_OF_STOCK = "out_of_stock"
    NOT_ENOUGH_STOCK = "not_enough_stock"


# The reasons that need no number. NOT_ENOUGH_STOCK says how many are left: see problem_message.
PROBLEM_MESSAGES = {
    Problem.UNAVAILABLE: _l("This product is no longer in the shop."),
    Problem.NOT_CERTIFIED: _l("This product’s OCOP certificate is not valid today, so it is not sold."),
    Problem.NOT_SOLD_ONLINE: _l("This product is sold at OCOP sales points and by the producer, not online."),
    Problem.NOT_SHIPPABLE: _l("This is a place to visit, not a parcel: it cannot be ordered."),
    Problem.NO_PRICE: _l("This product has no price, so it cannot be ordered."),
    Problem.OUT_OF_STOCK: _l("Out of stock at the moment."),
}


def purchase_problem(product: Product | None, certified: bool, quantity: int = 1) -> Problem | None:
    """Why `quantity` of `product` cannot be bought online today, or None when it can."""
    if product is None or not product.is_published:
        return Problem.UNAVAILABLE
    if not certified:
        return Problem.NOT_CERTIFIED
    if product.product_group.is_visited_not_shipped or not product.shippable:
        return Problem.NOT_SHIPPABLE
    if not product.sold_online:
        return Problem.NOT_SOLD_ONLINE
    if product.price is None:
        return Problem.NO_PRICE
    if product.stock <= 0:
        return Problem.OUT_OF_STOCK
    if quantity > product.stock:
        return Problem.NOT_ENOUGH_STOCK
    return None


def most_per_order(product: Product) -> int:
    """The largest quantity of `product` one cart or order may hold now: what is left, at most
    CART_MAX_QUANTITY."""
    return max(0, min(product.stock, current_app.config["CART_MAX_QUANTITY"]))


def problem_message(problem: Problem, product: Product | None = None, left: int | None = None) -> str:
    """The reason in the visitor's language, with its number filled in: `left` units, else the product's
    stock as loaded."""
    if problem is Problem.NOT_ENOUGH_STOCK:
        if left is None and product is not None:
            left = product.stock
        if left is None:
            return _("Not enough left: lower the quantity.")
        return _("Only %(count)s left: lower the quantity.", count=left)
    return str(PROBLEM_MESSAGES[problem])
