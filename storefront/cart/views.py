"""The cart pages: add, change, remove. Plain forms, so they work without JavaScript."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..catalog.models import Product
from ..certification.queries import stars_by_product
from ..extensions import db
from ..i18n import LocalizedBlueprint, localized
from ..orders.rules import problem_message, purchase_problem
from . import store
from .forms import CartForm
from .queries import cart_view

bp = LocalizedBlueprint("cart", __name__)


@bp.after_request
def personal(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _product_id(raw) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def _render(errors=(), status=200):
    return render_template("storefront/cart/cart.html", cart=cart_view(store.items()), form=CartForm(),
                           errors=list(errors), max_quantity=current_app.config["CART_MAX_QUANTITY"]), status


def _quantity_error() -> str:
    return _("Enter a quantity from 1 to %(limit)s.", limit=current_app.config["CART_MAX_QUANTITY"])


@bp.route("/cart")
def show():
    return _render()


@bp.route("/cart/add", methods=["POST"])
def add():
    form = CartForm()
    if not form.validate_on_submit():
        return _render([_("The form expired. Please submit it again.")], 400)
    product_id = _product_id(request.form.get("product_id"))
    product = db.session.get(Product, product_id) if product_id else None
    if product is None:
        return _render([_("This product is no longer in the shop.")], 404)
    try:
        quantity = store.parse_quantity(request.form.get("quantity", "1"))
    except store.QuantityError:
        return _render([_quantity_error()], 400)
    already = store.items().get(product.id, 0)
    problem = purchase_problem(product, product.id in stars_by_product([product.id]), already + quantity)
    if problem is not None:
        return _render([f"{localized(product, 'name')}: {problem_message(problem, product)}"], 409)
    try:
        kept = store.put(product.id, quantity, add=True)
    except store.QuantityError:
        return _render([_("Your cart is full. Order what is in it first.")], 409)
    flash(_("%(product)s is in your cart (%(quantity)s).", product=localized(product, "name"), quantity=kept),
          "success")
    return redirect(url_for("cart.show"), 303)


@bp.route("/cart/update", methods=["POST"])
def update():
    form = CartForm()
    if not form.validate_on_submit():
        return _render([_("The form expired. Please submit it again.")], 400)
    items = store.items()
    wanted = {}
    for product_id in items:
        raw = request.form.get(f"quantity-{product_id}")
        if raw is None:
            continue
        if str(raw).strip() == "0":
            wanted[product_id] = 0
            continue
        try:
            wanted[product_id] = store.parse_quantity(raw)
        except store.QuantityError:
            return _render([_quantity_error()], 400)
    for product_id, quantity in wanted.items():
        if quantity == 0:
            store.remove(product_id)
        else:
            store.put(product_id, quantity)
    flash(_("Your cart is updated."), "success")
    return redirect(url_for("cart.show"), 303)


@bp.route("/cart/remove", methods=["POST"])
def remove():
    form = CartForm()
    if not form.validate_on_submit():
        return _render([_("The form expired. Please submit it again.")], 400)
    product_id = _product_id(request.form.get("product_id"))
    if product_id is None or product_id not in store.items():
        return _render([_("This product is not in your cart.")], 404)
    store.remove(product_id)
    flash(_("The product was removed from your cart."), "success")
    return redirect(url_for("cart.show"), 303)
