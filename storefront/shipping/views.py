"""Delivery quotes for the pages that change with the province: a JSON quote for the checkout's script,
and the product page's province form (a plain post, remembered in the session)."""
from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from ..accounts.views import is_local_path
from ..addresses.units import commune_named, province_named
from ..cart import store
from ..cart.queries import cart_view
from ..crossorigin import same_origin_post
from ..i18n import LocalizedBlueprint, format_vnd
from .preference import remember_province
from .queries import province_by_codename, quote, short_name
from .zones import zone_for

bp = LocalizedBlueprint("shipping", __name__)
MAX_FIELD = 120


def _refused(message: str, status: int = 400):
    response = jsonify(error=message, status=status)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(HTTPException)
def as_json(error: HTTPException):
    """The quote is read by a script: even a refused request (a NUL byte, a bad method) answers JSON."""
    if request.endpoint == "shipping.quote_json":
        return _refused(_("This request cannot be answered."), error.code or 400)
    return error


def _one(name: str) -> str | None:
    """The parameter's one value ("" when absent); None when it is given twice or is too long."""
    values = request.args.getlist(name)
    if len(values) > 1 or (values and len(values[0]) > MAX_FIELD):
        return None
    return values[0] if values else ""


@bp.route("/delivery/quote")
def quote_json():
    """The delivery fee, time and total of this visitor's cart to `province` (and `commune`)."""
    province_text, commune_text = _one("province"), _one("commune")
    if province_text is None or commune_text is None:
        return _refused(_("Choose one province and one commune."))
    province = province_named(province_text)
    if province is None:
        return _refused(_("Choose the province or city."))
    commune = commune_named(province, commune_text)
    subtotal = cart_view(store.items()).subtotal
    found = quote(zone_for(province, commune), subtotal)
    response = jsonify(
        province=short_name(province), commune=commune.name if commune else None,
        zone=found.zone.value, zone_name=found.zone_name, fee=found.fee, fee_text=format_vnd(found.fee)
        if found.fee else _("Free"), days=[found.min_days, found.max_days], days_text=found.days_text,
        subtotal=subtotal, total=subtotal + found.fee, total_text=format_vnd(subtotal + found.fee))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/delivery/province", methods=["POST"])
@same_origin_post
def choose_province():
    """Remember the province the visitor's parcels go to, and go back to the page they were on."""
    target = request.form.get("next", "")
    back = target if is_local_path(target) else url_for("catalog.products")
    province = province_by_codename(request.form.get("province"))
    if province is None:
        flash(_("Choose the province or city."), "error")
    else:
        remember_province(province)
    return redirect(back, 303)
