"""The cart as the session holds it: {product id: quantity}. Reads and writes no database."""
from flask import current_app, session

KEY = "cart"


class QuantityError(ValueError):
    pass


def parse_quantity(raw, minimum: int = 1) -> int:
    """A quantity a shopper typed: a whole number from `minimum` to CART_MAX_QUANTITY, else QuantityError."""
    text = str(raw if raw is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        raise QuantityError("not a number")
    quantity = int(text)
    if quantity < minimum or quantity > current_app.config["CART_MAX_QUANTITY"]:
        raise QuantityError("out of range")
    return quantity


def items() -> dict[int, int]:
    stored = session.get(KEY) or {}
    result = {}
    for key, quantity in stored.items():
        if str(key).isdigit() and isinstance(quantity, int) and quantity > 0:
            result[int(key)] = quantity
    return result


def count() -> int:
    """Units in the cart, for the header; 0 without touching the session of a visitor who has none."""
    if KEY not in session:
        return 0
    return sum(items().values())


def _save(cart: dict[int, int]) -> None:
    if cart:
        session[KEY] = {str(product_id): quantity for product_id, quantity in cart.items()}
    else:
        session.pop(KEY, None)


def put(product_id: int, quantity: int, add: bool = False) -> int:
    """Set (or with `add`, increase) a line, capped at CART_MAX_QUANTITY; returns the quantity kept."""
    cart = items()
    if product_id not in cart and len(cart) >= current_app.config["CART_MAX_LINES"]:
        raise QuantityError("too many lines")
    wanted = cart.get(product_id, 0) + quantity if add else quantity
    cart[product_id] = min(wanted, current_app.config["CART_MAX_QUANTITY"])
    _save(cart)
    return cart[product_id]


def remove(product_id: int) -> None:
    cart = items()
    cart.pop(product_id, None)
    _save(cart)


def clear() -> None:
    session.pop(KEY, None)
