"""Producers (chủ thể OCOP), their products, and the products' photos."""
import enum
from datetime import date, datetime

from sqlalchemy import (JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, event, inspect, text,
                        true)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..areas.models import Area
from ..clock import utcnow
from ..extensions import db, enum_column
from ..media.models import MediaImage
from ..text import search_key


class ProducerType(enum.StrEnum):
    ENTERPRISE = "enterprise"
    COOPERATIVE = "cooperative"
    COOPERATIVE_GROUP = "cooperative_group"
    HOUSEHOLD = "household"


class ProductGroup(enum.IntEnum):
    """The six OCOP product groups of Decision 148/QĐ-TTg."""

    FOOD = 1
    DRINKS = 2
    HERBS = 3
    HANDICRAFTS = 4
    ORNAMENTALS = 5
    TOURISM = 6

    @property
    def is_visited_not_shipped(self) -> bool:
        return self is ProductGroup.TOURISM


# Sub-groups by group, as Decision 148 divides them (codes are stored on the product).
SUBGROUPS: dict[ProductGroup, tuple[str, ...]] = {
    ProductGroup.FOOD: ("fresh", "raw_processed", "processed", "seasonings"),
    ProductGroup.DRINKS: ("alcoholic", "non_alcoholic"),
    ProductGroup.HERBS: ("functional_food", "herbal_cosmetics", "essential_oils", "herbal_medicine"),
    ProductGroup.HANDICRAFTS: ("weaving_brocade", "wood_bamboo", "ceramics", "decorative"),
    ProductGroup.ORNAMENTALS: ("flowers", "ornamental_plants", "ornamental_animals"),
    ProductGroup.TOURISM: ("community_tourism", "eco_tourism", "tourist_site"),
}


class CraftVillage(db.Model):
    """A làng nghề: products tied to one are a priority of the programme."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    description_vi: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str | None] = mapped_column(Text)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"))

    area: Mapped[Area] = relationship()


class Producer(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    type: Mapped[ProducerType] = mapped_column(enum_column(ProducerType), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    story_vi: Mapped[str] = mapped_column(Text, default="")
    story_en: Mapped[str | None] = mapped_column(Text)
    logo_id: Mapped[int | None] = mapped_column(ForeignKey("media_image.id"))
    craft_village_id: Mapped[int | None] = mapped_column(ForeignKey("craft_village.id"))
    sells_through_modern_channels: Mapped[bool] = mapped_column(default=False)
    # An unpublished producer's page and products are hidden from the public site.
    is_published: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The name and web address folded (see search_text_of), for the office's accent-insensitive search.
    search_text: Mapped[str] = mapped_column(String(400), default="", server_default="", index=True)

    area: Mapped[Area] = relationship()
    logo: Mapped[MediaImage | None] = relationship()
    craft_village: Mapped[CraftVillage | None] = relationship()
    products: Mapped[list["Product"]] = relationship(back_populates="producer", order_by="Product.name_vi")

    def __repr__(self):
        return f"<Producer {self.slug}>"


class Product(db.Model):
    __table_args__ = (
        CheckConstraint("price IS NULL OR price >= 0", name="price_not_negative"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint('"group" BETWEEN 1 AND 6', name="group_in_range"),
        # Tourism products (group 6) are visited, never shipped.
        CheckConstraint('NOT ("group" = 6 AND shippable)', name="tourism_not_shippable"),
        Index("ix_product_listing", "is_published", "group"),
        # The back office's product list sorts by these.
        Index("ix_product_name_vi", "name_vi"),
        Index("ix_product_updated_at", "updated_at"),
        Index("ix_product_search_text", "search_text"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"), index=True)
    group: Mapped[int]
    subgroup: Mapped[str] = mapped_column(String(40))
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    summary_vi: Mapped[str] = mapped_column(String(400), default="")
    summary_en: Mapped[str | None] = mapped_column(String(400))
    description_vi: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str | None] = mapped_column(Text)
    story_vi: Mapped[str] = mapped_column(Text, default="")
    story_en: Mapped[str | None] = mapped_column(Text)
    heritage_vi: Mapped[str] = mapped_column(Text, default="")
    heritage_en: Mapped[str | None] = mapped_column(Text)
    # Whole đồng; none for a place that is visited free of charge.
    price: Mapped[int | None] = mapped_column(index=True)
    unit_vi: Mapped[str] = mapped_column(String(80), default="")
    unit_en: Mapped[str | None] = mapped_column(String(80))
    stock: Mapped[int] = mapped_column(default=0)
    sold_online: Mapped[bool] = mapped_column(default=False)
    shippable: Mapped[bool] = mapped_column(default=True)
    is_published: Mapped[bool] = mapped_column(default=True)
    # The day the province nominated the product for the central 5★ evaluation ("potential 5★").
    five_star_nominated_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The names and web address folded (see search_text_of), for the office's accent-insensitive search;
    # it starts with the Vietnamese name, so sorting by it puts Đ with D as a Vietnamese reader expects.
    search_text: Mapped[str] = mapped_column(String(600), default="", server_default="")

    producer: Mapped[Producer] = relationship(back_populates="products")
    images: Mapped[list["ProductImage"]] = relationship(
        back_populates="product", order_by="ProductImage.position", cascade="all, delete-orphan")

    @property
    def product_group(self) -> ProductGroup:
        return ProductGroup(self.group)

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    def __repr__(self):
        return f"<Product {self.slug}>"


def search_text_of(*texts: str | None) -> str:
    """What the office's lists search: each text folded (no tone marks, đ → d, lower case, single spaces),
    one per line, so that a search never matches across two of them."""
    return "\n".join(key for key in (search_key(text or "") for text in texts) if key)


SEARCHED_FIELDS = {Producer: ("name", "slug"), Product: ("name_vi", "name_en", "slug")}


# The one place the folded search text follows the names, whoever writes them (forms, import, demo).
@event.listens_for(Producer, "before_insert")
@event.listens_for(Producer, "before_update")
@event.listens_for(Product, "before_insert")
@event.listens_for(Product, "before_update")
def _follow_names(mapper, connection, target) -> None:
    fields = SEARCHED_FIELDS[type(target)]
    state = inspect(target)
    if state.has_identity and not any(state.attrs[name].history.has_changes() for name in fields):
        return  # a change of price or stock leaves the names, and this, as they are
    target.search_text = search_text_of(*(getattr(target, name) for name in fields))


class ProductImage(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("media_image.id"))
    position: Mapped[int] = mapped_column(default=0)
    alt_vi: Mapped[str] = mapped_column(String(300))
    alt_en: Mapped[str | None] = mapped_column(String(300))

    product: Mapped[Product] = relationship(back_populates="images")
    image: Mapped[MediaImage] = relationship(lazy="joined")


class EditStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


# The fields of a listing whose change a producer proposes for review; price and stock apply at once.
REVIEWED_TEXT_FIELDS = ("name_vi", "name_en", "summary_vi", "summary_en", "description_vi", "description_en",
                        "story_vi", "story_en", "heritage_vi", "heritage_en", "unit_vi", "unit_en")


class ListingEdit(db.Model):
    """A producer's change to a published product's text or photos, waiting for the OCOP office.

    The live listing keeps the approved version until an administrator approves; a product has at most
    one pending edit, which the producer's later changes extend. A refused edit is kept as the producer's
    draft (its text and photos prefill the form, beside the office's reason) until it is sent again or
    discarded. `text` holds {field: proposed value}
    for the fields that differ, `photos` the proposed photo list ([{image_id, alt_vi, alt_en}]) or None
    when the photos are unchanged; `before` keeps what the listing said when the edit was proposed.
    """

    __table_args__ = (
        Index("ix_listing_edit_status_created_at", "status", "created_at"),
        Index("ix_listing_edit_product_status", "product_id", "status"),
        # At most one pending edit per product, even when two requests race to propose one.
        Index("uq_listing_edit_pending_product", "product_id", unique=True,
              sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))
    status: Mapped[EditStatus] = mapped_column(enum_column(EditStatus), default=EditStatus.PENDING)
    text: Mapped[dict] = mapped_column(JSON, default=dict)
    photos: Mapped[list | None] = mapped_column(JSON)
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(String(1000), default="")
    # A refused edit stays the producer's draft, shown in its form to amend, until the producer sends it
    # again or discards it: then this is set.
    closed_at: Mapped[datetime | None]

    product: Mapped[Product] = relationship()

    @property
    def changed_fields(self) -> list[str]:
        return [name for name in REVIEWED_TEXT_FIELDS if name in self.text]

    def __repr__(self):
        return f"<ListingEdit {self.id} {self.status} product={self.product_id}>"


class ImportUpload(db.Model):
    """A product list that passed the dry run, waiting for the office account that checked it to confirm.

    Kept in the database, not on a node's disk, so the confirmation may reach any app node. `token` is the
    unguessable name the confirmation form carries; an upload older than a day is refused and removed."""

    __tablename__ = "import_upload"
    __table_args__ = (CheckConstraint("size = length(data)", name="size_is_length"),)

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(120), default="")
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    user: Mapped["User"] = relationship()

    def __repr__(self):
        return f"<ImportUpload {self.filename!r} user={self.user_id}>"
