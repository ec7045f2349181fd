"""The policy pages, in the order the footer lists them: their URL name and their title."""
from flask_babel import lazy_gettext as _l

POLICIES = {
    "shipping": _l("Delivery and pickup"),
    "payment": _l("Payment"),
    "returns": _l("Returns and refunds"),
    "privacy": _l("Privacy"),
}
