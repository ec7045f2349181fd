"""Where an order goes: Vietnam's 34 provinces and centrally-run cities since 1 July 2025 for delivery
addresses, and the sales points a shopper may pick it up at."""
from dataclasses import dataclass

from sqlalchemy import select

from ..areas.models import Area, AreaLevel
from ..clock import today
from ..extensions import db
from ..locator.hours import format_interval
from ..locator.queries import SALES_POINT, current_locator

HOME_PROVINCE = "Quảng Ngãi"
PROVINCES = (
    "An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Điện Biên", "Đồng Nai",
    "Đồng Tháp", "Gia Lai", "Hà Nội", "Hà Tĩnh", "Hải Phòng", "Hồ Chí Minh", "Huế", "Hưng Yên", "Khánh Hòa",
    "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Nghệ An", "Ninh Bình", "Phú Thọ", "Quảng Ngãi",
    "Quảng Ninh", "Quảng Trị", "Sơn La", "Tây Ninh", "Thái Nguyên", "Thanh Hóa", "Tuyên Quang", "Vĩnh Long",
)
assert len(PROVINCES) == 34


def home_communes() -> list[str]:
    """Quảng Ngãi's communes and wards, offered as the shopper types."""
    return list(db.session.scalars(select(Area.name).where(Area.level == AreaLevel.COMMUNE).order_by(Area.name)))


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
