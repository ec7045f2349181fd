"""The cart as the shopper sees it: every line's price and availability read again from the database."""
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..catalog.models import Product
from ..certification.queries import stars_by_product
from ..extensions import db
from ..orders.rules import Problem, most_per_order, problem_message, purchase_problem


@dataclass
class CartLine:
    product_id: int
    product: Product | None
    quantity: int
    problem: Problem | None

    @property
    def unit_price(self) -> int:
        return (self.product.price or 0) if self.product is not None else 0

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity

    @property
    def problem_text(self) -> str:
        return problem_message(self.problem, self.product) if self.problem else ""

    @property
    def photo(self):
        """The product's first photo (a ProductImage), or None."""
        return self.product.images[0] if self.product is not None and self.product.images else None

    @property
    def steppable(self) -> bool:
        """Whether the −/+ buttons make sense: the product can be bought, perhaps not as many as this."""
        return self.problem in (None, Problem.NOT_ENOUGH_STOCK)

    @property
    def one_more(self) -> int | None:
        """The quantity "+" sets, or None when no more may be ordered."""
        if self.problem is not None or self.quantity >= most_per_order(self.product):
            return None
        return self.quantity + 1

    @property
    def one_fewer(self) -> int | None:
        """The quantity "−" sets, or None at 1 (the line's Remove button takes it out). Above what is left,
        "−" comes down to what is left, not one by one through quantities that cannot be ordered."""
        if not self.steppable or self.quantity <= 1:
            return None
        return max(1, min(self.quantity - 1, most_per_order(self.product)))

    @property
    def at_order_limit(self) -> bool:
        return self.problem is None and self.quantity >= current_app.config["CART_MAX_QUANTITY"]

    @property
    def few_left(self) -> int | None:
        """How many are left, when that is worth saying: the stock is low, or the line holds all of it."""
        if self.problem is not None:
            return None  # the problem says it (or that there are none)
        stock = self.product.stock
        if stock <= current_app.config["CART_LOW_STOCK"] or self.quantity >= stock:
            return stock
        return None


@dataclass
class Cart:
    lines: list[CartLine] = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        return sum(line.line_total for line in self.lines if line.problem is None)

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def can_check_out(self) -> bool:
        return bool(self.lines) and all(line.problem is None for line in self.lines)

    @property
    def product_ids(self) -> list[int]:
        return [line.product_id for line in self.lines]


def cart_view(items: dict[int, int]) -> Cart:
    """Each line with its current product, price and the reason it cannot be bought, if any."""
    if not items:
        return Cart()
    products = {product.id: product for product in db.session.scalars(
        select(Product).where(Product.id.in_(items))
        .options(selectinload(Product.producer), selectinload(Product.images)))}
    stars = stars_by_product(list(products))
    lines = []
    for product_id, quantity in items.items():
        product = products.get(product_id)
        problem = purchase_problem(product, product_id in stars, quantity)
        lines.append(CartLine(product_id, product, quantity, problem))
    lines.sort(key=lambda line: (line.product.producer.name if line.product else "", line.product_id))
    return Cart(lines)
