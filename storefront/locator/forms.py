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
from ..errors import DomainError
from ..phone import international_phone
from ..text import nfc, whole_number
from .geo import BadPosition, Position, parse_position
from .operations import PHONE_REFUSED, check_visit_day
from .queries import LocatorFilters

MAX_VALUE_LENGTH = 100
MAX_PAGE = 1000
MAX_PARTY = 200


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
    page = whole_number(args.get("page", "").strip() or "1", 1, MAX_PAGE)
    if page is None:
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
                        position=position, near=" ".join(args.get("near", "").split()), page=page)


def _choice(args, name, allowed) -> str | None:
    value = args.get(name, "").strip()
    if not value:
        return None
    if value not in allowed:
        raise BadQuery(name)
    return value


def visitor_line(text: str | None) -> str:
    """A line a visitor typed, as stored: NFC, no control characters (no text column can hold a NUL),
    single spaces."""
    return " ".join(_CONTROL.sub(" ", nfc(text or "")).split())


def visitor_text(text: str | None) -> str:
    """Free text a visitor typed, as stored: NFC, lines kept, no other control characters."""
    lines = nfc(text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(" ".join(_CONTROL.sub(" ", line).split()) for line in lines).strip()


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


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
    """A visitor's request to visit `destination`: a Vietnamese visitor or a tourist from abroad."""

    name = StringField(_l("Your name"), filters=[visitor_line],
                       validators=[DataRequired(_l("Tell us your name.")),
                                   Length(max=120, message=_l("Your name is too long."))])
    phone = StringField(_l("Phone number"), filters=[visitor_line],
                        validators=[DataRequired(_l("Give a phone number to call you back."))])
    visit_date = CalendarDateField(_l("Day of the visit"), validators=[InputRequired(_l("Choose the day of your visit."))])
    party_size = WholeNumberField(
        _l("Number of visitors"), default=2,
        validators=[InputRequired(_l("Say how many people will come.")),
                    NumberRange(1, MAX_PARTY, _l("A group has from %(min)s to %(max)s people."))])
    message = TextAreaField(_l("Message (optional)"), filters=[visitor_text],
                            validators=[Length(max=1000, message=_l("Keep the message under 1,000 characters."))])

    def __init__(self, destination, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.destination = destination

    def validate_name(self, field):
        if not any(character.isalnum() for character in field.data or ""):  # only marks or symbols
            raise ValidationError(_l("Tell us your name."))

    def validate_phone(self, field):
        number = international_phone(field.data)
        if number is None:
            raise ValidationError(PHONE_REFUSED)
        field.data = number

    def validate_visit_date(self, field):
        if field.data is None:  # not a date: process_formdata has said so
            return
        try:
            check_visit_day(self.destination, field.data)
        except DomainError as error:
            raise ValidationError(str(error)) from None
