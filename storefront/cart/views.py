"""The cart pages: add, change, remove. Plain forms, so they work without JavaScript."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..crossorigin import same_origin_post
from ..errors import NotFound
from ..i18n import LocalizedBlueprint, localized
from . import operations, store
from .forms import CartForm, repeated_fields
from .queries import cart_view

bp = LocalizedBlueprint("cart", __name__)


@bp.after_request
def personal(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _product_id(raw) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _render(errors=(), status=200):
    return render_template("storefront/cart/cart.html", cart=cart_view(store.items()), form=CartForm(),
                           errors=list(errors), max_quantity=current_app.config["CART_MAX_QUANTITY"]), status


def _quantity_error() -> str:
    return _("Enter a quantity from 1 to %(limit)s.", limit=current_app.config["CART_MAX_QUANTITY"])


def _refused_form(token: bool = True):
    """The answer to a post that is not the page's own form (expired, or a field sent twice), or None.
    `token=False`: the form carries none (a product page's buy box, see crossorigin)."""
    if token and not CartForm().validate_on_submit():
        return _render([_("The form expired. Please submit it again.")], 400)
    if repeated_fields(request.form):
        return _render([_("The form was sent with a field given twice. Please submit it again.")], 400)
    return None


def _tell(changes, done: str) -> None:
    """One message: what was capped if anything was, else that it is done."""
    capped = [change.notice() for change in changes if change.capped]
    for notice in capped:
        flash(notice, "warning")
    if not capped:
        flash(done, "success")


@bp.route("/cart")
def show():
    return _render()


@bp.route("/cart/add", methods=["POST"])
@same_origin_post
def add():
    refused = _refused_form(token=False)
    if refused:
        return refused
    product_id = _product_id(request.form.get("product_id"))
    if product_id is None:
        return _render([_("This product is no longer in the shop.")], 404)
    try:
        quantity = store.parse_quantity(request.form.get("quantity", "1"))
    except store.QuantityError:
        return _render([_quantity_error()], 400)
    try:
        change = operations.add_to_cart(product_id, quantity)
    except NotFound as error:
        return _render([str(error)], 404)
    except operations.CartRefused as error:
        return _render([str(error)], 409)
    _tell([change], _("%(product)s is in your cart (%(quantity)s).",
                      product=localized(change.product, "name"), quantity=change.kept))
    return redirect(url_for("cart.show"), 303)


@bp.route("/cart/update", methods=["POST"])
def update():
    refused = _refused_form()
    if refused:
        return refused
    wanted = {}
    for product_id in store.items():
        raw = request.form.get(f"quantity-{product_id}")
        if raw is None:
            continue
        try:
            wanted[product_id] = store.parse_quantity(raw, minimum=0)
        except store.QuantityError:
            return _render([_quantity_error()], 400)
    _tell(operations.set_quantities(wanted), _("Your cart is updated."))
    return redirect(url_for("cart.show"), 303)


@bp.route("/cart/quantity", methods=["POST"])
def set_quantity():
    """One line's −/+ button: a form of its own that sets the line to the quantity it carries (so a form
    sent twice, or from a page left open, sets the same quantity rather than adding again)."""
    refused = _refused_form()
    if refused:
        return refused
    try:
        quantity = store.parse_quantity(request.form.get("quantity"))
    except store.QuantityError:
        return _render([_quantity_error()], 400)
    product_id = _product_id(request.form.get("product_id"))
    try:
        change = operations.set_quantity(product_id, quantity)
    except operations.NotInCart as error:
        return _render([str(error)], 404)
    if change is None:
        flash(_("Your cart is updated."), "success")
    else:
        _tell([change], _("%(product)s: %(quantity)s in your cart.",
                          product=localized(change.product, "name"), quantity=change.kept))
    # Back at the line pressed, not the top of a long cart (the line itself says if it was capped).
    return redirect(url_for("cart.show", _anchor=f"line-{product_id}"), 303)


@bp.route("/cart/remove", methods=["POST"])
def remove():
    refused = _refused_form()
    if refused:
        return refused
    product_id = _product_id(request.form.get("product_id"))
    if product_id is None or product_id not in store.items():
        return _render([_("This product is not in your cart.")], 404)
    store.remove(product_id)
    flash(_("The product was removed from your cart."), "success")
    return redirect(url_for("cart.show"), 303)
