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
from ..catalog.operations import MAX_PHOTOS, PHONE_PATTERN, clean_text, unique_slug
from ..clock import today
from ..errors import DomainError, FieldError, NotFound
from ..extensions import db
from ..media.pipeline import store_image
from ..notifications.operations import queue_message
from ..phone import format_phone, international_phone
from .hours import Schedule, schedule_from_rows
from .models import (Destination, Funding, OpeningException, OpeningHours, SalesPoint, SalesPointPhoto, SalesPointStock,
                     VisitRequest)


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


# --- photos of a sales point ---

MAX_ALT_LENGTH = 300


def _photo_alt(alt_vi: str | None, alt_en: str | None, number: int | None = None) -> tuple[str, str | None]:
    """The two descriptions of a photo, cleaned; empty ones fall back to "<name> — photo n" when shown."""
    cleaned = clean_text({"alt_vi": alt_vi or "", "alt_en": alt_en or ""})
    alt_vi, alt_en = cleaned["alt_vi"] or "", cleaned["alt_en"] or None
    for name, value in (("alt_vi", alt_vi), ("alt_en", alt_en)):
        if value and len(value) > MAX_ALT_LENGTH:
            if number is None:
                raise FieldError(name, _("A photo's description may have at most %(count)d characters.",
                                         count=MAX_ALT_LENGTH))
            raise FieldError(name, _("The description of photo %(number)d may have at most %(count)d characters.",
                                     number=number, count=MAX_ALT_LENGTH))
    return alt_vi, alt_en


def add_sales_point_photo(point: SalesPoint, data: bytes, alt_vi: str | None = "",
                          alt_en: str | None = None) -> SalesPointPhoto:
    """Store an uploaded photo through the image pipeline and add it after the point's photos.

    Everything that can be checked before the file is read is checked first: a refused upload leaves no
    file and no row behind."""
    alt_vi, alt_en = _photo_alt(alt_vi, alt_en)
    before = len(point.photos)
    if before >= MAX_PHOTOS:
        raise FieldError("photo", _("A sales point shows at most %(count)s photos: remove one first.",
                                    count=MAX_PHOTOS))
    image = store_image(data)
    db.session.flush()  # the image's id (a new MediaImage only: the point is unchanged so far)
    if any(photo.image_id == image.id for photo in point.photos):
        raise FieldError("photo", _("This photo is already among the sales point's photos."))
    photo = SalesPointPhoto(image=image, position=before, alt_vi=alt_vi, alt_en=alt_en)
    point.photos.append(photo)
    record("sales_point.photo_add", point, changes={"photos": [before, before + 1]})
    return photo


def remove_sales_point_photo(point: SalesPoint, photo_id: int) -> None:
    """Take a photo off the point; the others close up. Its image stays, as a product photo's does."""
    photo = next((photo for photo in point.photos if photo.id == photo_id), None)
    if photo is None:
        raise NotFound(_("That photo is not among the sales point's photos."))
    before = len(point.photos)
    point.photos.remove(photo)
    for position, kept in enumerate(point.photos):
        kept.position = position
    record("sales_point.photo_remove", point, changes={"photos": [before, before - 1]})


def update_sales_point_photos(point: SalesPoint, wanted: dict[int, dict]) -> bool:
    """Put the point's photos in a new order and rewrite their descriptions, all at once.

    `wanted` maps each photo's id to {"position": 1…n (None when it could not be read), "alt_vi", "alt_en"}.
    A photo moved to a place another one keeps goes before it when it moved up, after it when it moved
    down. Returns whether anything changed (an unchanged form records nothing)."""
    photos = list(point.photos)
    if set(wanted) != {photo.id for photo in photos}:
        raise DomainError(_("The photos changed while you were editing them: look at them again and repeat "
                            "your change."))
    count = len(photos)
    cleaned = {}
    for number, photo in enumerate(photos, 1):
        position = wanted[photo.id].get("position")
        if not isinstance(position, int) or isinstance(position, bool) or not 1 <= position <= count:
            raise DomainError(_("Photo %(number)d: choose its place, from 1 to %(count)d.", number=number,
                                count=count))
        cleaned[photo.id] = (position, *_photo_alt(wanted[photo.id].get("alt_vi"), wanted[photo.id].get("alt_en"),
                                                   number))

    def rank(photo):
        position = cleaned[photo.id][0]
        current = photo.position + 1
        return position, (position > current) - (position < current), photo.position

    ordered = sorted(photos, key=rank)
    changes = {}
    if ordered != photos:
        changes["photo_order"] = [", ".join(str(n) for n in range(1, count + 1)),
                                  ", ".join(str(photos.index(photo) + 1) for photo in ordered)]
    for language in ("vi", "en"):
        name = f"alt_{language}"
        changed = [(number, getattr(photo, name), cleaned[photo.id][1 if language == "vi" else 2])
                   for number, photo in enumerate(ordered, 1)
                   if (getattr(photo, name) or None) != (cleaned[photo.id][1 if language == "vi" else 2] or None)]
        if changed:
            changes[f"photo_{name}"] = ["; ".join(f"{number}: {old or '—'}" for number, old, _new in changed),
                                        "; ".join(f"{number}: {new or '—'}" for number, _old, new in changed)]
    if not changes:
        return False
    for position, photo in enumerate(ordered):
        photo.position, photo.alt_vi, photo.alt_en = position, cleaned[photo.id][1], cleaned[photo.id][2]
    point.photos[:] = ordered
    record("sales_point.photos", point, changes=changes)
    return True
