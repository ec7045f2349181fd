"""The checkout page: one form, prices from the server only, one order however often it is submitted."""
import secrets

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from .. import CONTENT_SECURITY_POLICY
from ..errors import DomainError
from ..extensions import db
from ..i18n import LocalizedBlueprint, current_lang, localized
from ..cart import store
from ..cart.queries import cart_view
from ..orders import access
from ..orders.models import Fulfilment, PaymentMethod
from ..orders.operations import Buyer, CartProblem, DuplicateSubmission, order_for_token, place_order
from ..orders.pricing import shipping_fee
from ..orders.queries import pickup_points_for
from ..orders.rules import problem_message
from ..payments.methods import available_methods, method_for
from .forms import CheckoutForm
from .places import home_communes

bp = LocalizedBlueprint("checkout", __name__)
TOKEN_KEY = "checkout_token"


@bp.after_request
def personal(response):
    response.headers["Cache-Control"] = "private, no-store"
    config = current_app.config
    if method_for(PaymentMethod.CARD).available(config):
        # Submitting the form may end on Stripe's page: browsers check every redirect against form-action.
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", f"form-action 'self' {config['STRIPE_CHECKOUT_ORIGIN']}")
    return response


def _token() -> str:
    """The idempotency token of this visitor's next order: the same until an order is placed with it."""
    if not session.get(TOKEN_KEY):
        session[TOKEN_KEY] = secrets.token_urlsafe(24)
    return session[TOKEN_KEY]


def _form(cart, points):
    form = CheckoutForm()
    methods = available_methods(current_app.config)
    form.payment_method.choices = [SelectChoice(m.code.value, m.label) for m in methods]
    form.sales_point.choices = [SelectChoice(str(point.id), localized(point, "name")) for point in points]
    if not form.is_submitted():
        form.token.data = _token()
        if methods and not form.payment_method.data:
            form.payment_method.data = methods[0].code.value
        if current_user.is_authenticated:
            form.name.data = form.name.data or current_user.name
            form.email.data = form.email.data or current_user.email
    return form, methods


def _render(form, cart, points, methods, errors=(), status=200):
    subtotal = cart.subtotal
    return render_template(
        "storefront/checkout/checkout.html", form=form, cart=cart, points=points, methods=methods,
        errors=list(errors), communes=home_communes(),
        delivery_fee=shipping_fee(subtotal, Fulfilment.DELIVERY),
        free_from=current_app.config["FREE_SHIPPING_FROM"]), status


@bp.route("/checkout", methods=["GET", "POST"])
def checkout():
    cart = cart_view(store.items())
    if cart.is_empty:
        flash(_("Your cart is empty."), "error")
        return redirect(url_for("cart.show"), 303)
    points = pickup_points_for(cart.product_ids)
    form, methods = _form(cart, points)
    if not cart.can_check_out:
        return render_template("storefront/cart/cart.html", cart=cart, form=form, max_quantity=current_app.config["CART_MAX_QUANTITY"],
                               errors=[_("Some products in your cart cannot be ordered as they are. "
                                         "Please check your cart.")]), 409
    if not form.is_submitted():
        return _render(form, cart, points, methods)
    if not form.validate():
        return _render(form, cart, points, methods, status=400)
    method = method_for(PaymentMethod(form.payment_method.data))
    buyer = Buyer(name=form.name.data, phone=form.phone.data, email=(form.email.data or "").strip().lower() or None,
                  fulfilment=Fulfilment(form.fulfilment.data), province=form.province.data or "",
                  commune=(form.commune.data or "").strip(), street=(form.street.data or "").strip(),
                  sales_point_id=int(form.sales_point.data) if (form.sales_point.data or "").isdigit() else None,
                  note=(form.note.data or "").strip())
    try:
        order = place_order(store.items(), buyer, method.code, form.token.data,
                            user=current_user if current_user.is_authenticated else None, lang=current_lang(),
                            confirm_at_once=method.confirms_at_once)
        next_url = method.start(order)
    except (DuplicateSubmission, IntegrityError) as duplicate:
        # A second click, the back button or a retry (maybe at the same moment): the first one's order.
        # Only this browser's form held the token, so it may see the order, as the first answer (which
        # the browser may have dropped) would have let it.
        if isinstance(duplicate, IntegrityError):
            db.session.rollback()
        existing = order_for_token(form.token.data)
        if existing is None:
            return _render(form, cart, points, methods, [_("The order could not be placed. Please try again.")],
                           409)
        _placed(existing)
        return redirect(url_for("orders.order_page", number=existing.number), 303)
    except CartProblem as problem:
        cart = cart_view(store.items())
        errors = [str(problem)] + [problem_message(p) for p in problem.problems.values()]
        return render_template("storefront/cart/cart.html", cart=cart, form=form, max_quantity=current_app.config["CART_MAX_QUANTITY"],
                               errors=errors), 409
    except DomainError as error:
        return _render(form, cart, points, methods, [str(error)], 409)
    _placed(order)
    return redirect(next_url or url_for("orders.order_page", number=order.number), 303)


def _placed(order) -> None:
    store.clear()
    session.pop(TOKEN_KEY, None)
    access.remember(order)
