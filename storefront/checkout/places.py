"""Where an order may be picked up: the sales points keeping the cart, with what a shopper wants to know
of each. (Delivery addresses: storefront.addresses.)"""
from dataclasses import dataclass

from ..clock import today
from ..locator.hours import format_interval
from ..locator.queries import SALES_POINT, current_locator


@dataclass(frozen=True)
class Pickup:
    """What a shopper choosing a sales point wants beside its name."""
    slug: str
    address: str
    hours_today: str | None  # "07:00–11:30, 13:30–17:00", "" closed today, None not published
    latitude: float
    longitude: float


def pickup_details(points) -> dict[int, Pickup]:
    """The address, today's opening hours and position of each sales point, by id (from the locator's model)."""
    locator = current_locator()
    day = today()
    details = {}
    for point in points:
        place = locator.by_slug.get((SALES_POINT, point.slug))
        if place is None:
            hours = None
        elif place.schedule.is_known or day in place.schedule.exceptions:
            hours = ", ".join(format_interval(interval) for interval in place.schedule.intervals_on(day))
        else:
            hours = None
        details[point.id] = Pickup(point.slug, point.address or "", hours, point.latitude, point.longitude)
    return details
