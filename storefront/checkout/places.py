"""Vietnam's 34 provinces and centrally-run cities since 1 July 2025, for delivery addresses."""
from sqlalchemy import select

from ..areas.models import Area, AreaLevel
from ..extensions import db

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
