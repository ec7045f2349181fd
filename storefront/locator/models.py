"""OCOP introduction-and-sales points (điểm giới thiệu và bán sản phẩm OCOP)."""
import enum
from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..areas.models import Area
from ..catalog.models import Product
from ..clock import utcnow
from ..extensions import db, enum_column
from ..media.models import MediaImage
from ..phone import format_phone


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
    stock: Mapped[list["SalesPointStock"]] = relationship(back_populates="sales_point",
                                                          cascade="all, delete-orphan")
    hours: Mapped[list["OpeningHours"]] = relationship(
        back_populates="sales_point", order_by="[OpeningHours.weekday, OpeningHours.opens]",
        cascade="all, delete-orphan")
    exceptions: Mapped[list["OpeningException"]] = relationship(
        back_populates="sales_point", order_by="[OpeningException.day, OpeningException.opens]",
        cascade="all, delete-orphan")
    photos: Mapped[list["SalesPointPhoto"]] = relationship(
        back_populates="sales_point", order_by="SalesPointPhoto.position", cascade="all, delete-orphan")

    def __repr__(self):
        return f"<SalesPoint {self.slug}>"


def default_photo_alt(name_vi: str, name_en: str | None, number: int, lang: str) -> str:
    """What a photo of a sales point says to someone who cannot see it when the office wrote nothing:
    "<the point's name> — photo n", in the page's language."""
    with force_locale(lang):
        return _("%(name)s — photo %(number)d", name=(name_en or name_vi) if lang == "en" else name_vi,
                 number=number)


class SalesPointPhoto(db.Model):
    """A photo of a sales point, in the order the office chose. The image is kept when the photo is removed
    (like a product's photo: its files are named by their content and may serve another photo)."""

    __table_args__ = (
        UniqueConstraint("sales_point_id", "image_id"),
        CheckConstraint("position >= 0", name="position_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sales_point_id: Mapped[int] = mapped_column(ForeignKey("sales_point.id", ondelete="CASCADE"), index=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("media_image.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    # Empty: the page says "<name> — photo n" (default_photo_alt).
    alt_vi: Mapped[str] = mapped_column(String(300), default="")
    alt_en: Mapped[str | None] = mapped_column(String(300))

    sales_point: Mapped[SalesPoint] = relationship(back_populates="photos")
    image: Mapped[MediaImage] = relationship(lazy="joined")

    def alt(self, lang: str) -> str:
        """The description in `lang`: the office's, else the default (an English page never reads out the
        Vietnamese one to a visitor who asked for English)."""
        written = self.alt_en if lang == "en" else self.alt_vi
        if written:
            return written
        point = self.sales_point
        return default_photo_alt(point.name_vi, point.name_en, self.position + 1, lang)


class SalesPointStock(db.Model):
    """A product a sales point carries; the quantity is optional (many points do not publish it)."""

    __table_args__ = (CheckConstraint("quantity IS NULL OR quantity >= 0", name="quantity_not_negative"),)

    sales_point_id: Mapped[int] = mapped_column(ForeignKey("sales_point.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    quantity: Mapped[int | None]

    sales_point: Mapped[SalesPoint] = relationship(back_populates="stock")
    product: Mapped[Product] = relationship()


class Destination(db.Model):
    """Where a tourism product (OCOP group 6) is visited: its place, contact and opening hours."""

    __table_args__ = (
        CheckConstraint("latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180",
                        name="coordinates_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), unique=True)
    address: Mapped[str] = mapped_column(String(300))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    latitude: Mapped[float]
    longitude: Mapped[float]
    # None: the producer's phone is the contact.
    phone: Mapped[str | None] = mapped_column(String(20))

    product: Mapped[Product] = relationship()
    area: Mapped[Area] = relationship()
    hours: Mapped[list["OpeningHours"]] = relationship(
        back_populates="destination", order_by="[OpeningHours.weekday, OpeningHours.opens]",
        cascade="all, delete-orphan")
    exceptions: Mapped[list["OpeningException"]] = relationship(
        back_populates="destination", order_by="[OpeningException.day, OpeningException.opens]",
        cascade="all, delete-orphan")


_ONE_OWNER = "(sales_point_id IS NULL) <> (destination_id IS NULL)"
# Minutes after local midnight. A closing time at or before the opening time is on the next day
# (open across midnight); 1440 is midnight at the end of the day.
_TIMES = "opens BETWEEN 0 AND 1439 AND closes BETWEEN 1 AND 1440 AND opens <> closes"


class OpeningHours(db.Model):
    """One opening interval on a day of the week (0 = Monday), in Asia/Ho_Chi_Minh time."""

    __table_args__ = (
        CheckConstraint(_ONE_OWNER, name="one_owner"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_in_range"),
        CheckConstraint(_TIMES, name="times_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sales_point_id: Mapped[int | None] = mapped_column(ForeignKey("sales_point.id", ondelete="CASCADE"),
                                                       index=True)
    destination_id: Mapped[int | None] = mapped_column(ForeignKey("destination.id", ondelete="CASCADE"),
                                                       index=True)
    weekday: Mapped[int]
    opens: Mapped[int]
    closes: Mapped[int]

    sales_point: Mapped[SalesPoint | None] = relationship(back_populates="hours")
    destination: Mapped[Destination | None] = relationship(back_populates="hours")


class OpeningException(db.Model):
    """A date whose hours differ from the week's: closed (Tết), or open at special hours.

    The rows of a date replace that date's weekly hours: one row with closed=True, or one row per
    special interval.
    """

    __table_args__ = (
        CheckConstraint(_ONE_OWNER, name="one_owner"),
        CheckConstraint(f"(closed AND opens IS NULL AND closes IS NULL) OR (NOT closed AND {_TIMES})",
                        name="closed_or_times"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sales_point_id: Mapped[int | None] = mapped_column(ForeignKey("sales_point.id", ondelete="CASCADE"),
                                                       index=True)
    destination_id: Mapped[int | None] = mapped_column(ForeignKey("destination.id", ondelete="CASCADE"),
                                                       index=True)
    day: Mapped[date]
    closed: Mapped[bool] = mapped_column(default=False)
    opens: Mapped[int | None]
    closes: Mapped[int | None]
    note_vi: Mapped[str] = mapped_column(String(200), default="")
    note_en: Mapped[str | None] = mapped_column(String(200))

    sales_point: Mapped[SalesPoint | None] = relationship(back_populates="exceptions")
    destination: Mapped[Destination | None] = relationship(back_populates="exceptions")


class VisitRequest(db.Model):
    """A visitor asks to visit a destination on a day: the producer answers by phone."""

    __table_args__ = (
        CheckConstraint("party_size BETWEEN 1 AND 200", name="party_size_in_range"),
        # E.164: + and at most 15 digits (the visitor may be calling from abroad).
        CheckConstraint("phone LIKE '+%' AND length(phone) BETWEEN 4 AND 16", name="phone_in_e164"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    destination_id: Mapped[int] = mapped_column(ForeignKey("destination.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20))
    visit_date: Mapped[date]
    party_size: Mapped[int]
    message: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(2), default="vi")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    destination: Mapped[Destination] = relationship()

    @property
    def phone_text(self) -> str:
        """The phone as people read it, with its country code ("+49 1512 3456789")."""
        return format_phone(self.phone)
