"""Product cards as a per-worker read model: plain fields, and each card's HTML once per language.

A card (catalogue, related products, a producer's products, the home page) shows a handful of fields
of a product, its producer and its first photo. They are read with one narrow query (two when the
products have photos) for the cards a worker has not seen yet, and kept as frozen dataclasses, never
ORM objects. Each card's HTML is rendered once per language, star level and layout and then reused.

Both stores are pagecache.derived values: they start empty whenever the public content changes or the
day changes. The stars come from the listing of the day (listing.py), so a card rendered yesterday
never shows a certificate that expired at midnight.
"""
from dataclasses import dataclass
from itertools import islice

from flask import current_app, request
from markupsafe import Markup
from sqlalchemy import select

from ..areas.models import Area, AreaLevel
from ..extensions import db
from ..i18n import active_language
from ..media.models import MediaImage
from ..pagecache import derived
from .models import Producer, Product, ProductImage

# Bounds on the stores of one content version and day: the fields of every product of a national
# catalogue (~20,000, about 10 MB), and the HTML of the cards shown most recently (each 1–2 kB in
# memory; a card exists per language and layout). When full, the oldest quarter is dropped.
MAX_CARDS = 25_000
MAX_CARD_HTML = 16_000


def _make_room(store: dict, adding: int, limit: int) -> None:
    if len(store) + adding > limit:
        for key in list(islice(store, max(adding, len(store) // 4))):
            del store[key]


@dataclass(frozen=True, slots=True)
class CardImage:
    key: str
    width: int
    height: int
    widths: tuple[int, ...]
    alt_vi: str
    alt_en: str | None

    def height_for(self, width: int) -> int:
        return round(self.height * width / self.width)


@dataclass(frozen=True, slots=True)
class ProductFields:
    """What a card shows of a product, whatever its stars."""
    id: int
    slug: str
    name_vi: str
    name_en: str | None
    unit_vi: str
    unit_en: str | None
    price: int | None
    group: int
    in_stock: bool
    sold_online: bool
    producer_name: str
    producer_slug: str
    image: CardImage | None


@dataclass(frozen=True, slots=True)
class Card:
    """A product card: the product's fields and its stars on the day shown."""
    fields: ProductFields
    stars: int

    @property
    def id(self) -> int:
        return self.fields.id


def _load_fields(ids: list[int]) -> dict[int, ProductFields]:
    rows = db.session.execute(
        select(Product.id, Product.slug, Product.name_vi, Product.name_en, Product.unit_vi, Product.unit_en,
               Product.price, Product.group, Product.stock, Product.sold_online, Producer.name, Producer.slug)
        .join(Producer, Producer.id == Product.producer_id)
        .where(Product.id.in_(ids))).all()
    if not rows:
        return {}
    first_images: dict[int, CardImage] = {}
    for product_id, alt_vi, alt_en, key, width, height, widths in db.session.execute(
            select(ProductImage.product_id, ProductImage.alt_vi, ProductImage.alt_en, MediaImage.key,
                   MediaImage.width, MediaImage.height, MediaImage.rendition_widths)
            .join(MediaImage, MediaImage.id == ProductImage.image_id)
            .where(ProductImage.product_id.in_([row[0] for row in rows]))
            .order_by(ProductImage.product_id, ProductImage.position, ProductImage.id)):
        if product_id not in first_images:
            first_images[product_id] = CardImage(key, width, height, tuple(int(w) for w in widths.split(",")),
                                                 alt_vi, alt_en)
    return {
        id_: ProductFields(id_, slug, name_vi, name_en, unit_vi or "", unit_en, price, group, stock > 0,
                           sold_online, producer_name, producer_slug, first_images.get(id_))
        for id_, slug, name_vi, name_en, unit_vi, unit_en, price, group, stock, sold_online, producer_name,
        producer_slug in rows}


def cards(pairs) -> list[Card]:
    """Cards of (product id, stars) pairs, in their order; a product no longer there is left out.
    Only the products this worker has not shown since the content or the day changed are read."""
    pairs = list(pairs)
    if not pairs:
        return []
    known: dict[int, ProductFields] = derived("catalog.card_fields", dict)
    missing = [product_id for product_id, _ in pairs if product_id not in known]
    if missing:
        _make_room(known, len(missing), MAX_CARDS)
        known.update(_load_fields(missing))
    return [Card(known[product_id], stars) for product_id, stars in pairs if product_id in known]


def card_html(card: Card, eager: bool = False, heading: str = "h3") -> Markup:
    """The card's HTML (templates/_macros/products.html), rendered once per language and layout."""
    key = (card.fields.id, card.stars, active_language(), bool(eager), heading, request.script_root)
    rendered: dict = derived("catalog.card_html", dict)
    html = rendered.get(key)
    if html is None:
        _make_room(rendered, 1, MAX_CARD_HTML)
        macro = current_app.jinja_env.get_template("_macros/products.html").module.product_card
        html = rendered[key] = Markup(macro(card, eager=eager, heading=heading))
    return html


@dataclass(frozen=True, slots=True)
class District:
    """A former district as the catalogue's filters show it."""
    id: int
    slug: str
    name: str
    kind: object  # AreaKind


def former_districts() -> list[District]:
    """The former districts by name: a static list, read once per content version and day."""
    return derived("catalog.former_districts", lambda: [
        District(id_, slug, name, kind) for id_, slug, name, kind in db.session.execute(
            select(Area.id, Area.slug, Area.name, Area.kind)
            .where(Area.level == AreaLevel.FORMER_DISTRICT).order_by(Area.name))])
