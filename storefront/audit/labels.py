"""The audit log in words: the one registry of what its action codes, object types, field names and stored
values mean, in the reader's language.

Entries keep codes ("order.cancel", "decided_by_id", "rejected") so they can be filtered and stay true
whatever the language; these tables turn them into "Order cancelled", "Decided by", "Refused". A code that
is missing here is shown as it is stored (tests/audit checks that every action the code records is here).
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.devices import describe_device
from ..areas.models import AreaKind, AreaLevel
from ..bankfeed.labels import STATE_NAMES as TRANSFER_STATE_NAMES
from ..labels import (CERTIFICATION_LEVEL_NAMES, FUNDING_NAMES, GROUP_NAMES, PRODUCER_TYPE_NAMES, ROLE_NAMES,
                      SUBGROUP_NAMES)
from ..orders.models import OrderStatus
from ..orders.workflow import STATUS_NAMES
from .models import COMMAND_LINE, SYSTEM

ACTOR_NAMES = {SYSTEM: _l("The shop (automatic)"), COMMAND_LINE: _l("Command line")}

ACTIONS = {
    "product.create": _l("Product added"),
    "product.update": _l("Product edited"),
    "product.publish": _l("Product published"),
    "product.unpublish": _l("Product hidden from the site"),
    "product.price_stock": _l("Price or stock changed"),
    "product.photos": _l("Photos changed"),
    "product.import": _l("Product imported from the OCOP list"),
    "product.apply_edit": _l("Producer's approved change put live"),
    "listing_edit.propose": _l("Change sent for review"),
    "listing_edit.withdraw": _l("Change withdrawn by the producer"),
    "listing_edit.approve": _l("Change approved"),
    "listing_edit.reject": _l("Change refused"),
    "listing_edit.discard": _l("Refused change discarded by the producer"),
    "producer.create": _l("Producer added"),
    "producer.update": _l("Producer edited"),
    "producer.publish": _l("Producer published"),
    "producer.unpublish": _l("Producer hidden from the site"),
    "sales_point.create": _l("Sales point added"),
    "sales_point.update": _l("Sales point edited"),
    "sales_point.publish": _l("Sales point published"),
    "sales_point.unpublish": _l("Sales point hidden from the site"),
    "sales_point.photo_add": _l("Photo of the sales point added"),
    "sales_point.photo_remove": _l("Photo of the sales point removed"),
    "sales_point.photos": _l("Photos of the sales point reordered or described"),
    "area.create": _l("Area added"),
    "area.update": _l("Area edited"),
    "certificate.issue": _l("Certificate issued"),
    "certificate.renew": _l("Certificate renewed"),
    "certificate.upgrade": _l("Certificate upgraded to more stars"),
    "certificate.import": _l("Certificate imported from the OCOP list"),
    "certificate.revoke": _l("Certificate revoked"),
    "certificate.attach_decision": _l("Scanned decision attached"),
    "user.create": _l("Account created"),
    "user.register": _l("Account registered by its owner"),
    "user.invite": _l("Account invited"),
    "user.change_role": _l("Office role changed"),
    "user.sign_in_new_device": _l("Signed in from a new device"),
    "user.reinvite": _l("New invitation link sent"),
    "user.accept_invite": _l("Invitation accepted, password chosen"),
    "user.close": _l("Account closed"),
    "user.reset_password": _l("Password reset by its owner"),
    "user.reopen": _l("Account reopened"),
    "user.change_password": _l("Password changed by its owner"),
    "user.change_email": _l("E-mail address changed, confirmed from the new address"),
    "user.update_profile": _l("Name or phone changed by the account's owner"),
    "user.second_factor_enrol": _l("Second factor set up by its owner"),
    "user.second_factor_reset": _l("Second factor reset (lost phone)"),
    "user.second_factor_off": _l("Second factor turned off by its owner"),
    "user.recovery_codes": _l("New recovery codes made by the account's owner"),
    "user.recovery_code_used": _l("Signed in with a recovery code"),
    "order.join_account": _l("Guest order joined to the account with its e-mail and phone"),
    "order.confirm_transfer": _l("Bank transfer received, order paid"),
    "order.ship": _l("Order marked shipped"),
    "order.ready": _l("Order marked ready for pickup"),
    "order.complete": _l("Order marked delivered or picked up"),
    "order.cancel": _l("Order cancelled"),
    "order.refund": _l("Order refunded"),
    "order.refund_sent": _l("Refund asked of Stripe again"),
    "bank_transfer.match": _l("Bank transfer matched to an order by hand"),
    "bank_transfer.refund": _l("Bank transfer sent back to the sender"),
    "bank_transfer.ignore": _l("Bank transfer marked as not an order’s payment"),
    "order_line.fulfil": _l("Producer sent its part of the order, or made it ready"),
}

# object type (the model's name in lower case, as stored) → (its name, how one object of it is written)
OBJECT_TYPES = {
    "product": (_l("Product"), _l("Product %(name)s")),
    "producer": (_l("Producer"), _l("Producer %(name)s")),
    "listingedit": (_l("Listing edit"), _l("Listing edit of %(name)s")),
    "certificate": (_l("Certificate"), _l("Certificate %(name)s")),
    "order": (_l("Order"), _l("Order %(name)s")),
    "orderline": (_l("Order line"), _l("Order line %(name)s")),
    "banktransfer": (_l("Bank transfer"), _l("Bank transfer %(name)s")),
    "user": (_l("Account"), _l("Account %(name)s")),
    "salespoint": (_l("Sales point"), _l("Sales point %(name)s")),
    "area": (_l("Area"), _l("Area %(name)s")),
}

FIELDS = {
    # products and producers
    "slug": _l("Web address name"),
    "producer_id": _l("Producer"),
    "product_id": _l("Product"),
    "group": _l("OCOP group"),
    "subgroup": _l("Sub-group"),
    "name": _l("Name"),
    "name_vi": _l("Name (Vietnamese)"),
    "name_en": _l("Name (English)"),
    "summary_vi": _l("Summary (Vietnamese)"),
    "summary_en": _l("Summary (English)"),
    "description_vi": _l("Description (Vietnamese)"),
    "description_en": _l("Description (English)"),
    "story_vi": _l("Story (Vietnamese)"),
    "story_en": _l("Story (English)"),
    "heritage_vi": _l("Cultural heritage (Vietnamese)"),
    "heritage_en": _l("Cultural heritage (English)"),
    "price": _l("Price"),
    "unit_vi": _l("Unit sold (Vietnamese)"),
    "unit_en": _l("Unit sold (English)"),
    "stock": _l("Stock"),
    "sold_online": _l("Sold online"),
    "shippable": _l("Can be shipped"),
    "is_published": _l("Published on the site"),
    "five_star_nominated_on": _l("Nominated for the national 5-star evaluation"),
    "photos": _l("Number of photos"),
    "type": _l("Kind of producer"),
    "area_id": _l("Commune or ward"),
    "address": _l("Address"),
    "phone": _l("Phone"),
    "email": _l("Email"),
    "website": _l("Website"),
    "logo_id": _l("Logo"),
    "craft_village_id": _l("Craft village"),
    "sells_through_modern_channels": _l("Sells through supermarkets or e-commerce"),
    "created_at": _l("Created"),
    "updated_at": _l("Last changed"),
    # certificates
    "number": _l("Certificate number"),
    "stars": _l("Stars"),
    "score": _l("Score (out of 100)"),
    "decision_number": _l("Decision number"),
    "decision_date": _l("Decision date"),
    "authority": _l("Issuing authority"),
    "level": _l("Level"),
    "valid_from": _l("Valid from"),
    "valid_until": _l("Valid until"),
    "revoked_at": _l("Revoked"),
    "revocation_reason": _l("Reason for revoking"),
    "revocation_reason_en": _l("Reason for revoking (English)"),
    "verification_code": _l("Verification code"),
    "replaces_id": _l("Replaces certificate"),
    "decision_pdf_key": _l("Scanned decision (PDF)"),
    "decision_image_id": _l("Scanned decision (photo)"),
    # producers' changes to their listings
    "status": _l("State"),
    "text": _l("Proposed text"),
    "before": _l("Text before the change"),
    "proposed_by_id": _l("Proposed by"),
    "decided_by_id": _l("Decided by"),
    "decided_at": _l("Decided"),
    "reason": _l("Reason"),
    "closed_at": _l("Sent again or discarded"),
    # accounts
    "role": _l("Role"),
    "active": _l("Account open"),
    "email_confirmed_at": _l("E-mail address confirmed"),
    "password": _l("Password"),
    "device": _l("Device"),
    # sales points and areas
    "opening_hours_vi": _l("Opening hours (Vietnamese)"),
    "opening_hours_en": _l("Opening hours (English)"),
    "funding": _l("Funding"),
    "photo_order": _l("Order of the photos (by their former number)"),
    "photo_alt_vi": _l("Photo descriptions (Vietnamese)"),
    "photo_alt_en": _l("Photo descriptions (English)"),
    "latitude": _l("Latitude"),
    "longitude": _l("Longitude"),
    "kind": _l("Kind"),
    "parent_id": _l("Lies in"),
    "state": _l("State"),
}

# Fields whose value is a whole number of đồng, a day, or a moment (stored in UTC).
MONEY_FIELDS = frozenset({"price", "subtotal", "shipping_fee", "total", "unit_price", "line_total"})
DATE_FIELDS = frozenset({"decision_date", "valid_from", "valid_until", "five_star_nominated_on", "visit_date"})
# Fields holding the id of a person's account, and of other objects: shown by name.
PERSON_FIELDS = frozenset({"proposed_by_id", "decided_by_id", "actor_id", "user_id"})
REFERENCE_FIELDS = {"producer_id": "producer", "product_id": "product", "area_id": "area", "parent_id": "area",
                    "craft_village_id": "craftvillage", "replaces_id": "certificate",
                    "sales_point_id": "salespoint", "order_id": "order"}

LISTING_EDIT_STATES = {"pending": _l("Waiting for review"), "approved": _l("Approved"), "rejected": _l("Refused"),
                       "withdrawn": _l("Withdrawn")}
ORDER_LINE_STATES = {"pending": _l("To send"), "shipped": STATUS_NAMES[OrderStatus.SHIPPED],
                     "ready_for_pickup": STATUS_NAMES[OrderStatus.READY_FOR_PICKUP]}
ROLES = {role.value: name for role, name in ROLE_NAMES.items()}
AREA_LEVELS = {AreaLevel.PROVINCE.value: _l("Province"), AreaLevel.FORMER_DISTRICT.value: _l("Former district"),
               AreaLevel.COMMUNE.value: _l("Commune or ward")}
AREA_KINDS = {AreaKind.PROVINCE.value: _l("Province"), AreaKind.CITY.value: _l("City"),
              AreaKind.TOWN.value: _l("Town"), AreaKind.DISTRICT.value: _l("District"),
              AreaKind.WARD.value: _l("Ward"), AreaKind.COMMUNE.value: _l("Commune"),
              AreaKind.SPECIAL_ZONE.value: _l("Special zone")}
PASSWORD_VALUES = {"…": _l("(not shown)"), "reset": _l("reset: a new invitation link was sent"),
                   "chosen": _l("chosen by the account's owner"),
                   "changed": _l("changed by the account's owner, who gave the current one")}

# (object type or "*" for any, field) → {stored value: its name}
VALUE_NAMES = {
    ("*", "group"): {group.value: name for group, name in GROUP_NAMES.items()},
    ("*", "subgroup"): SUBGROUP_NAMES,
    ("producer", "type"): {kind.value: name for kind, name in PRODUCER_TYPE_NAMES.items()},
    ("certificate", "level"): {level.value: name for level, name in CERTIFICATION_LEVEL_NAMES.items()},
    ("salespoint", "funding"): {funding.value: name for funding, name in FUNDING_NAMES.items()},
    ("order", "status"): {status.value: name for status, name in STATUS_NAMES.items()},
    ("orderline", "status"): ORDER_LINE_STATES,
    ("banktransfer", "state"): {state.value: name for state, name in TRANSFER_STATE_NAMES.items()},
    ("listingedit", "status"): LISTING_EDIT_STATES,
    ("user", "role"): ROLES,
    ("area", "level"): AREA_LEVELS,
    ("area", "kind"): AREA_KINDS,
    ("*", "password"): PASSWORD_VALUES,
}


# Notes some actions keep as codes: (action, note) → what it says.
NOTES = {("certificate.attach_decision", "pdf"): _l("A PDF file"),
         ("certificate.attach_decision", "image"): _l("A photo")}


def note_text(action: str, note: str) -> str:
    return str(NOTES[(action, note)]) if (action, note) in NOTES else (note or "")


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))


def object_type_label(code: str) -> str:
    return str(OBJECT_TYPES[code][0]) if code in OBJECT_TYPES else code


def object_name(code: str, name: str | None, object_id: int | None) -> str:
    """"Listing edit of Quế Trà Bồng", "Order QN7K2M9PXA"; "Product #12" when its name is unknown."""
    if name and code in OBJECT_TYPES:
        return str(OBJECT_TYPES[code][1]) % {"name": name}
    number = f" #{object_id}" if object_id is not None else ""
    return f"{object_type_label(code)}{number}" + (f" {name}" if name and code not in OBJECT_TYPES else "")


def field_label(name: str) -> str:
    return str(FIELDS.get(name, name))


def actor_name(label: str) -> str:
    return str(ACTOR_NAMES[label]) if label in ACTOR_NAMES else label


def value_name(object_type: str, field: str, value) -> str | None:
    """The name of a coded value ("rejected" → "Refused"), or None when the field has no such names."""
    if field == "device" and isinstance(value, str):
        return describe_device(value)  # kept as the browser said it, named in the reader's language
    names = VALUE_NAMES.get((object_type, field)) or VALUE_NAMES.get(("*", field))
    if names is None or not isinstance(value, (str, int)) or isinstance(value, bool):
        return None
    name = names.get(value)
    return str(name) if name is not None else None


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")
