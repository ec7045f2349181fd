"""The cart as the shopper sees it: every line's price and availability read again from the database."""
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..catalog.models import Product
from ..certification.queries import stars_by_product
from ..extensions import db
from ..orders.rules import Problem, problem_message, purchase_problem


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
        select(Product).where(Product.id.in_(items)).options(selectinload(Product.producer)))}
    stars = stars_by_product(list(products))
    lines = []
    for product_id, quantity in items.items():
        product = products.get(product_id)
        problem = purchase_problem(product, product_id in stars, quantity)
        lines.append(CartLine(product_id, product, quantity, problem))
    lines.sort(key=lambda line: (line.product.producer.name if line.product else "", line.product_id))
    return Cart(lines)
