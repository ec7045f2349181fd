"""The locator's verbs: what a point stocks, when a place is open, and a visitor's request to visit.

Like every operation they validate, stage their changes in db.session and never commit.
"""
from datetime import date

from flask_babel import lazy_gettext as _l

from ..catalog.models import Product, ProductGroup
from ..errors import DomainError
from ..extensions import db
from .hours import Schedule, schedule_from_rows
from .models import Destination, OpeningException, OpeningHours, SalesPoint, SalesPointStock, VisitRequest


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


def request_visit(destination: Destination, *, name: str, phone: str, visit_date: date, party_size: int,
                  message: str, language: str) -> VisitRequest:
    """Stage a visitor's request; the form has checked its fields, the place's calendar is checked here."""
    schedule = schedule_of(destination)
    if schedule.is_known and not schedule.intervals_on(visit_date):
        raise ClosedThatDay(_l("The place is closed on %(day)s: choose another day.",
                               day=visit_date.strftime("%d/%m/%Y")))
    visit = VisitRequest(destination=destination, name=" ".join(name.split()), phone=phone, visit_date=visit_date,
                         party_size=party_size, message=(message or "").strip(), language=language)
    db.session.add(visit)
    return visit

