"""The checkout page: one form, prices from the server only, one order however often it is submitted."""
import secrets

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from .. import CONTENT_SECURITY_POLICY
from ..addresses.units import DATA_VERSION, province_named
from ..errors import DomainError, FieldError
from ..extensions import db
from ..i18n import LocalizedBlueprint, current_lang, localized
from ..text import whole_number
from ..cart import store
from ..cart.forms import CartForm, repeated_fields
from ..cart.queries import cart_view
from ..orders import access
from ..orders.models import Fulfilment, PaymentMethod
from ..orders.operations import Buyer, CartProblem, order_for_token, place_order
from ..orders.queries import pickup_points_for
from ..payments.methods import available_methods, method_for
from ..shipping.preference import remember_province, remembered_province
from ..shipping.queries import lowest_fee, quote_for_address, short_name
from .forms import CheckoutForm
from .places import pickup_details

bp = LocalizedBlueprint("checkout", __name__)
TOKEN_KEY = "checkout_token"
# The submit button that, without JavaScript, shows the communes of the province chosen (nothing is placed).
CHOOSE_PROVINCE = "choose-province"


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


def _form(points):
    form = CheckoutForm()
    methods = available_methods(current_app.config)
    form.payment_method.choices = [SelectChoice(m.code.value, m.label) for m in methods]
    form.sales_point.choices = [SelectChoice(str(point.id), localized(point, "name")) for point in points]
    if not form.is_submitted():
        form.token.data = _token()
        if methods and not form.payment_method.data:
            form.payment_method.data = methods[0].code.value
        known = remembered_province()
        if known is not None:
            form.show_province(known)
        if current_user.is_authenticated:
            form.name.data = form.name.data or current_user.name
            form.email.data = form.email.data or current_user.email
    return form, methods


def _render(form, methods, errors=(), status=200, cart=None, points=None, chose_province=False):
    cart = cart or cart_view(store.items())
    points = points if points is not None else pickup_points_for(cart.product_ids)
    # A submitted delivery form was read without the sales points: the page offers them all the same.
    form.sales_point.choices = [SelectChoice(str(point.id), localized(point, "name")) for point in points]
    # The fee of the province (and commune) in the form: what the order will be charged, computed again
    # by place_order. None until a province of Vietnam is chosen.
    delivery = quote_for_address(form.province.data, form.commune.data, cart.subtotal)
    province = province_named(form.province.data)
    return render_template(
        "storefront/checkout/checkout.html", form=form, cart=cart, points=points, methods=methods,
        errors=list(errors), pickups=pickup_details(points), address_data=DATA_VERSION,
        chose_province=chose_province, delivery=delivery,
        delivery_province=short_name(province) if province else "", lowest_fee=lowest_fee()), status


def _cart_page(errors, status=409):
    return render_template("storefront/cart/cart.html", cart=cart_view(store.items()), form=CartForm(),
                           max_quantity=current_app.config["CART_MAX_QUANTITY"], errors=errors), status


@bp.route("/checkout", methods=["GET", "POST"])
def checkout():
    items = store.items()
    if not items:
        flash(_("Your cart is empty."), "error")
        return redirect(url_for("cart.show"), 303)
    if request.method == "GET":
        cart = cart_view(items)
        if not cart.can_check_out:
            return _cart_page([_("Some products in your cart cannot be ordered as they are. Please check your cart.")])
        points = pickup_points_for(cart.product_ids)
        form, methods = _form(points)
        return _render(form, methods, cart=cart, points=points)
    # A submitted form: place_order checks the cart and the pickup point itself, so a valid form costs
    # no read beyond the order's own (this is the busiest write of the shop).
    wants_pickup = request.form.get("fulfilment") == Fulfilment.PICKUP.value
    form, methods = _form(pickup_points_for(items) if wants_pickup else [])
    if repeated_fields(request.form):
        return _render(form, methods, [_("The form was sent with a field given twice. Please submit it again.")],
                       status=400)
    if request.form.get("action") == "quote":
        # "Update the delivery fee" (the page without JavaScript): the same form again, priced for the
        # address chosen, nothing placed.
        return _render(form, methods)
    if request.form.get("action") == CHOOSE_PROVINCE:
        # The same page again with the chosen province's communes, everything typed kept, nothing checked
        # but the province (a refusal of fields the buyer has not finished would only be noise).
        if form.chosen_province is None:
            form.province.errors = [_("Choose a province or city from the list.")]
        return _render(form, methods, chose_province=True)
    if not form.validate():
        return _render(form, methods, form.token.errors, status=400)
    method = method_for(PaymentMethod(form.payment_method.data))
    buyer = Buyer(name=form.name.data, phone=form.phone.data, email=(form.email.data or "").strip().lower() or None,
                  fulfilment=Fulfilment(form.fulfilment.data), province=form.province.data or "",
                  commune=(form.commune.data or "").strip(), street=(form.street.data or "").strip(),
                  sales_point_id=whole_number(form.sales_point.data, 1),
                  note=(form.note.data or "").strip())
    try:
        order = place_order(items, buyer, method.code, form.token.data,
                            user=current_user if current_user.is_authenticated else None, lang=current_lang(),
                            confirm_at_once=method.confirms_at_once)
        db.session.commit()  # the order is placed before a payment provider is asked: no lock waits for it
    except IntegrityError:
        # A second click, the back button or a retry (maybe at the same moment): the first one's order.
        # Only this browser's form held the token, so it may see the order, as the first answer (which
        # the browser may have dropped) would have let it.
        db.session.rollback()
        existing = order_for_token(form.token.data)
        if existing is None:
            return _render(form, methods, [_("The order could not be placed. Please try again.")], 409)
        _placed(existing)
        return redirect(url_for("orders.order_page", number=existing.number), 303)
    except CartProblem as problem:
        db.session.rollback()
        return _cart_page([str(problem)] + problem.messages())
    except FieldError as error:  # a rule of place_order about one field (the form asks the same ones first)
        db.session.rollback()
        field = form._fields.get(error.field)
        if field is None:
            return _render(form, methods, [str(error)], 409)
        field.errors = [*field.errors, str(error)]
        return _render(form, methods, status=409)
    except DomainError as error:
        db.session.rollback()
        return _render(form, methods, [str(error)], 409)
    _placed(order)
    try:
        next_url = method.start(order)
    except DomainError as error:  # the order stands, awaiting payment: its page offers to try again
        flash(str(error), "error")
        next_url = None
    return redirect(next_url or url_for("orders.order_page", number=order.number), 303)


def _placed(order) -> None:
    if order.fulfilment is Fulfilment.DELIVERY:
        remember_province(province_named(order.province))  # the product pages quote it from now on
    store.clear()
    session.pop(TOKEN_KEY, None)
    access.remember(order)
