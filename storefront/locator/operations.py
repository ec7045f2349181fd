"""The locator's verbs: the office's changes to sales points, what a point stocks, when a place is
open, and a visitor's request to visit.

Like every operation they validate, stage their changes in db.session and never commit.
"""
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..areas.models import Area, AreaLevel
from ..audit.operations import record
from ..catalog.models import Product, ProductGroup
from ..catalog.operations import PHONE_PATTERN, clean_text, unique_slug
from ..clock import today
from ..errors import DomainError, FieldError
from ..extensions import db
from ..notifications.operations import queue_message
from ..phone import format_phone, international_phone
from .hours import Schedule, schedule_from_rows
from .models import Destination, Funding, OpeningException, OpeningHours, SalesPoint, SalesPointStock, VisitRequest


class ClosedThatDay(DomainError):
    pass


def set_stock(point: SalesPoint, quantities: dict[Product, int | None]) -> None:
    """Replace what a sales point stocks: product → quantity (None when the point does not say)."""
    for product, quantity in quantities.items():
        if product.group == ProductGroup.TOURISM:
            raise DomainError(_l("A place to visit is not stocked by a sales point."))
        if quantity is not None and quantity < 0:
            raise DomainError(_l("A quantity cannot be negative."))
    point.stock[:] = [SalesPointStock(product=product, quantity=quantity) for product, quantity in quantities.items()]


def set_weekly_hours(owner: SalesPoint | Destination, week: dict[int, list[tuple[int, int]]]) -> None:
    """Replace the weekly hours: weekday (0 = Monday) → [(opens, closes)] in minutes after midnight."""
    rows = []
    for weekday, intervals in week.items():
        if not 0 <= weekday <= 6:
            raise DomainError(_l("A week has seven days."))
        for opens, closes in intervals:
            _check_interval(opens, closes)
            rows.append(OpeningHours(weekday=weekday, opens=opens, closes=closes))
    owner.hours[:] = rows


def add_exception(owner: SalesPoint | Destination, day: date, *, closed: bool = False,
                  intervals: list[tuple[int, int]] = (), note_vi: str = "", note_en: str | None = None) -> None:
    """A date whose hours differ: closed, or open at these intervals instead of the week's."""
    if closed == bool(intervals):
        raise DomainError(_l("A special day is either closed or open at given hours."))
    owner.exceptions[:] = [e for e in owner.exceptions if e.day != day]
    if closed:
        owner.exceptions.append(OpeningException(day=day, closed=True, note_vi=note_vi, note_en=note_en))
    for opens, closes in intervals:
        _check_interval(opens, closes)
        owner.exceptions.append(OpeningException(day=day, closed=False, opens=opens, closes=closes,
                                                 note_vi=note_vi, note_en=note_en))


def _check_interval(opens: int, closes: int) -> None:
    if not (0 <= opens <= 1439 and 1 <= closes <= 1440 and opens != closes):
        raise DomainError(_l("Opening hours run from 00:00 to 24:00 and cannot open and close at once."))


def schedule_of(owner: SalesPoint | Destination) -> Schedule:
    return schedule_from_rows(owner.hours, owner.exceptions)


PHONE_REFUSED = _l("We could not read this as a phone number to call you back. Give a Vietnamese number (10 digits "
                   "starting with 0) or, from abroad, + and the country code, e.g. +49 151 23456789.")
# How far ahead a visit can be requested.
BOOKING_HORIZON_DAYS = 365


def check_visit_day(destination: Destination, visit_date: date) -> None:
    """Refuse a day that has passed, lies more than a year ahead, or when the place is closed."""
    first = today()
    if visit_date < first:
        raise DomainError(_l("This day has passed: choose today or a later day."))
    if visit_date > first + timedelta(days=BOOKING_HORIZON_DAYS):
        raise DomainError(_l("Visits can be requested up to a year ahead."))
    schedule = schedule_of(destination)
    if schedule.is_known and not schedule.intervals_on(visit_date):
        raise ClosedThatDay(_l("The place is closed on %(day)s: choose another day.",
                               day=visit_date.strftime("%d/%m/%Y")))


def request_visit(destination: Destination, *, name: str, phone: str, visit_date: date, party_size: int,
                  message: str, language: str) -> VisitRequest:
    """Stage a visitor's request. The phone may be Vietnamese or from abroad: it is kept in E.164."""
    check_visit_day(destination, visit_date)
    number = international_phone(phone)
    if number is None:
        raise FieldError("phone", str(PHONE_REFUSED))
    visit = VisitRequest(destination=destination, name=" ".join(name.split()), phone=number, visit_date=visit_date,
                         party_size=party_size, message=(message or "").strip(), language=language)
    db.session.add(visit)
    producer = destination.product.producer
    if producer.email:
        # In Vietnamese: the producer's language, whatever the visitor's.
        queue_message("visit-request", producer.email,
                      f"Yêu cầu tham quan {destination.product.name_vi} ngày {visit_date:%d/%m/%Y}",
                      f"{visit.name} ({format_phone(number)}) muốn đến tham quan {destination.product.name_vi} ngày "
                      f"{visit_date:%d/%m/%Y}, đoàn {party_size} người.\n\n{visit.message}\n\n"
                      "Vui lòng gọi lại cho khách. Các yêu cầu tham quan có trong trang quản lý của chủ thể.")
    return visit


# Vietnam's mainland and near islands (Lý Sơn, Phú Quốc, Côn Đảo): a point typed outside is a typo,
# most often latitude and longitude swapped or a sign lost.
VIETNAM_LATITUDE = (8.1, 23.4)
VIETNAM_LONGITUDE = (102.1, 109.5)

SALES_POINT_FIELDS = ("slug", "name_vi", "name_en", "address", "area_id", "latitude", "longitude",
                      "opening_hours_vi", "opening_hours_en", "phone", "funding", "description_vi",
                      "description_en", "is_published")


def _validated(values: dict, point: SalesPoint | None) -> dict:
    values = clean_text({name: value for name, value in values.items() if name in SALES_POINT_FIELDS})
    for name in ("opening_hours_en", "description_en"):
        if values.get(name) == "":
            values[name] = None
    merged = {name: getattr(point, name) for name in SALES_POINT_FIELDS} if point else {}
    merged.update(values)
    if not merged.get("name_vi"):
        raise FieldError("name_vi", _("Enter the sales point's name in Vietnamese."))
    if not merged.get("address"):
        raise FieldError("address", _("Enter the street address."))
    area = db.session.get(Area, merged["area_id"]) if merged.get("area_id") else None
    if area is None or area.level != AreaLevel.COMMUNE:
        raise FieldError("area_id", _("Choose the commune or ward."))
    latitude, longitude = merged.get("latitude"), merged.get("longitude")
    if latitude is None or not VIETNAM_LATITUDE[0] <= latitude <= VIETNAM_LATITUDE[1]:
        raise FieldError("latitude", _("The latitude must lie in Vietnam, between %(low)s and %(high)s "
                                       "(Quảng Ngãi is about 15).", low=VIETNAM_LATITUDE[0], high=VIETNAM_LATITUDE[1]))
    if longitude is None or not VIETNAM_LONGITUDE[0] <= longitude <= VIETNAM_LONGITUDE[1]:
        raise FieldError("longitude", _("The longitude must lie in Vietnam, between %(low)s and %(high)s "
                                        "(Quảng Ngãi is about 108.8).",
                                        low=VIETNAM_LONGITUDE[0], high=VIETNAM_LONGITUDE[1]))
    phone = merged.get("phone")
    if phone:
        phone = phone.replace(" ", "").replace(".", "")
        if not PHONE_PATTERN.match(phone):
            raise FieldError("phone", _("Enter a Vietnamese phone number: 10 or 11 digits starting with 0, or +84."))
        if "phone" in values:
            values["phone"] = phone
    if merged.get("funding") not in {f.value for f in Funding}:
        raise FieldError("funding", _("Choose how the sales point is funded."))
    values["funding"] = Funding(merged["funding"])
    values["slug"] = unique_slug(SalesPoint, merged.get("slug"), merged["name_vi"], point.id if point else None)
    return values


def create_sales_point(values: dict) -> SalesPoint:
    values = _validated(values, None)
    point = SalesPoint(**{"is_published": False, **values})
    record("sales_point.create", point)
    return point


def update_sales_point(point: SalesPoint, values: dict) -> SalesPoint:
    values = _validated(values, point)
    for name, value in values.items():
        setattr(point, name, value)
    record("sales_point.update", point)
    return point


def set_sales_point_published(point: SalesPoint, published: bool) -> SalesPoint:
    point.is_published = published
    record("sales_point.publish" if published else "sales_point.unpublish", point)
    return point
