"""Places: the province, its 13 former district-level units, and today's communes and wards.

Since 1 July 2025 an address names the commune/ward and the province; the OCOP programme still
reports by former district. Each commune therefore keeps its former district as its parent.
"""
import enum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db, enum_column


class AreaLevel(enum.StrEnum):
    PROVINCE = "province"
    FORMER_DISTRICT = "former_district"
    COMMUNE = "commune"


class AreaKind(enum.StrEnum):
    PROVINCE = "province"
    CITY = "city"
    TOWN = "town"
    DISTRICT = "district"
    WARD = "ward"
    COMMUNE = "commune"
    SPECIAL_ZONE = "special_zone"


class Area(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[AreaLevel] = mapped_column(enum_column(AreaLevel), index=True)
    kind: Mapped[AreaKind] = mapped_column(enum_column(AreaKind))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    # Its centre, where the sales-point locator measures distances from when a visitor names the place.
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]

    parent: Mapped["Area | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Area"]] = relationship(back_populates="parent", order_by="Area.name")

    @property
    def former_district(self) -> "Area | None":
        if self.level == AreaLevel.FORMER_DISTRICT:
            return self
        if self.level == AreaLevel.COMMUNE:
            return self.parent
        return None

    def __repr__(self):
        return f"<Area {self.slug}>"
