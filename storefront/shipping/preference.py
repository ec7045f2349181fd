"""The province a visitor's parcels go to, remembered in their session once known (a checkout, or the
product page's province form) so that the product pages and the cart quote it."""
from flask import session

from .queries import province_by_codename, province_quote

SESSION_KEY = "delivery_province"


def remember_province(province) -> None:
    if province is not None and session.get(SESSION_KEY) != province.codename:
        session[SESSION_KEY] = province.codename


def remembered_province():
    """The remembered province, or None (never chosen, or a value no longer known)."""
    return province_by_codename(session.get(SESSION_KEY))


def visitor_delivery(subtotal: int | None = None):
    """The quote a page shows this visitor: for their remembered province, else (None) for the home one."""
    province = remembered_province()
    return province_quote(province, subtotal), province is not None
