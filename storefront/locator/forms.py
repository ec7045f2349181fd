"""Reading what a visitor asks the locator (a position, a place, filters) and the visit-request form."""
import re
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from ..catalog.models import ProductGroup
from ..clock import today
from .geo import BadPosition, Position, parse_position
from .queries import LocatorFilters

MAX_VALUE_LENGTH = 100
MAX_PAGE = 1000
MAX_PARTY = 200
BOOKING_HORIZON_DAYS = 365


class BadQuery(ValueError):
    """A parameter the locator cannot read; args[0] names it, `reason` says why."""

    def __init__(self, name: str, reason: str = "unknown"):
        super().__init__(name)
        self.reason = reason


@dataclass(frozen=True)
class LocatorQuery:
    filters: LocatorFilters
    position: Position | None = None  # from ?lat=&lng=
    near: str = ""  # a place typed by the visitor (?near=)
    page: int = 1

    @property
    def is_filtered(self) -> bool:
        f = self.filters
        return bool(f.district or f.commune or f.group or f.product)


def parse_query(args: MultiDict, district_slugs, commune_slugs, product_slugs) -> LocatorQuery:
    """Strict for what it reads: an unknown district, group or product is refused, not ignored."""
    for name in ("lat", "lng", "near", "district", "commune", "group", "product", "page"):
        if len(args.get(name, "")) > MAX_VALUE_LENGTH:
            raise BadQuery(name, "too_long")
    district = _choice(args, "district", district_slugs)
    commune = _choice(args, "commune", commune_slugs)
    product = _choice(args, "product", product_slugs)
    group_text = args.get("group", "").strip()
    if group_text and group_text not in {str(g.value) for g in ProductGroup}:
        raise BadQuery("group")
    page_text = args.get("page", "").strip() or "1"
    if not page_text.isdigit() or not 1 <= int(page_text) <= MAX_PAGE:
        raise BadQuery("page")
    lat, lng = args.get("lat", "").strip(), args.get("lng", "").strip()
    position = None
    if lat or lng:
        try:
            position = parse_position(lat, lng)
        except BadPosition as error:
            raise BadQuery("position", str(error)) from None
    return LocatorQuery(LocatorFilters(district=district, commune=commune,
                                       group=int(group_text) if group_text else None, product=product),
                        position=position, near=" ".join(args.get("near", "").split()), page=int(page_text))


def _choice(args, name, allowed) -> str | None:
    value = args.get(name, "").strip()
    if not value:
        return None
    if value not in allowed:
        raise BadQuery(name)
    return value


# Vietnamese phone numbers: a mobile is 0 and 9 digits (or +84 and 9); a landline 0 and 10 digits
# (02xx area codes). Spaces, dots and hyphens between digit groups are common and allowed.
_PHONE = re.compile(r"^(?:\+84|0)(?:[35789]\d{8}|2\d{9})$")


def normalise_phone(text: str) -> str | None:
    """"0905 381 246" → "0905381246"; "+84 905…" → "0905…"; None when it is not a Vietnamese number."""
    compact = re.sub(r"[\s.\-()]", "", text or "")
    if not _PHONE.match(compact):
        return None
    return "0" + compact[3:] if compact.startswith("+84") else compact


class CalendarDateField(DateField):
    """A date typed as yyyy-mm-dd (what a date input sends) or dd/mm/yyyy (what a Vietnamese visitor types)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, format=["%Y-%m-%d", "%d/%m/%Y"], **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Give the date as a day of the calendar, e.g. %(example)s.",
                                example=(today() + timedelta(days=7)).strftime("%d/%m/%Y"))) from None


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Give a whole number.")) from None


class VisitRequestForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(_l("Tell us your name.")),
                                                    Length(max=120, message=_l("Your name is too long."))])
    phone = StringField(_l("Phone number"), validators=[DataRequired(_l("Give a phone number to call you back."))])
    visit_date = CalendarDateField(_l("Day of the visit"), validators=[InputRequired(_l("Choose the day of your visit."))])
    party_size = WholeNumberField(
        _l("Number of visitors"), default=2,
        validators=[InputRequired(_l("Say how many people will come.")),
                    NumberRange(1, MAX_PARTY, _l("A group has from %(min)s to %(max)s people."))])
    message = TextAreaField(_l("Message (optional)"),
                            validators=[Length(max=1000, message=_l("Keep the message under 1,000 characters."))])

    def validate_phone(self, field):
        normalised = normalise_phone(field.data)
        if normalised is None:
            raise ValidationError(_l("This is not a Vietnamese phone number: a mobile number has 10 digits and "
                                     "starts with 0 (or +84 and 9 digits)."))
        field.data = normalised

    def validate_visit_date(self, field):
        if field.data is None:  # not a date: process_formdata has said so
            return
        first = today()
        if field.data < first:
            raise ValidationError(_l("This day has passed: choose today or a later day."))
        if field.data > first + timedelta(days=BOOKING_HORIZON_DAYS):
            raise ValidationError(_l("Visits can be requested up to a year ahead."))
