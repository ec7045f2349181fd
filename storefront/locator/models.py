"""OCOP introduction-and-sales points (điểm giới thiệu và bán sản phẩm OCOP)."""
import enum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..areas.models import Area
from ..extensions import db, enum_column


class Funding(enum.StrEnum):
    STATE_SUPPORTED = "state_supported"
    PRIVATE = "private"  # xã hội hóa


class SalesPoint(db.Model):
    __table_args__ = (
        CheckConstraint("latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180",
                        name="coordinates_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    latitude: Mapped[float]
    longitude: Mapped[float]
    opening_hours_vi: Mapped[str] = mapped_column(String(200), default="")
    opening_hours_en: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    funding: Mapped[Funding] = mapped_column(enum_column(Funding))
    description_vi: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str | None] = mapped_column(Text)
    is_published: Mapped[bool] = mapped_column(default=True)

    area: Mapped[Area] = relationship()

    def __repr__(self):
        return f"<SalesPoint {self.slug}>"
