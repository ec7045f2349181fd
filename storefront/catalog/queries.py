"""Reads of the catalogue: listing, facets, a product's page, a producer's page.

Lists come from the in-memory listing (listing.py); only the products a page shows are loaded.
"""
import math
from itertools import chain
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from ..areas.models import Area
from ..certification.models import Certificate
from ..certification.queries import VALID_ON_DAY, certified_products, latest_certificate, valid_on_params
from ..clock import today
from ..extensions import db
from . import cards as card_model
from .cards import Card
from .forms import CatalogueFilters
from .listing import ListedProduct, build_listing, current_listing
from .models import Producer, Product


@dataclass(frozen=True)
class ProductCard:
    product: Product
    stars: int


@dataclass
class CataloguePage:
    cards: list  # of Card (read model), or of ProductCard when loaded with cards_for
    total: int
    filters: CatalogueFilters
    facets: dict[str, dict] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.filters.per_page))


def _listing(day: date | None):
    return current_listing() if day is None or day == today() else build_listing(day)


def cards_for(rows: list[ListedProduct]) -> list[ProductCard]:
    """Load the products of these listing rows (a fixed number of queries), in the rows' order."""
    if not rows:
        return []
    products = db.session.scalars(
        select(Product).where(Product.id.in_([row.id for row in rows]))
        .options(selectinload(Product.producer).selectinload(Producer.area),
                 selectinload(Product.images))).all()
    by_id = {product.id: product for product in products}
    return [ProductCard(by_id[row.id], row.stars) for row in rows if row.id in by_id]


def cards_of(rows: list[ListedProduct]) -> list[Card]:
    """The cards of these listing rows from the card read model (plain data), in the rows' order."""
    return card_model.cards((row.id, row.stars) for row in rows)


def former_districts():
    return card_model.former_districts()


def catalogue(filters: CatalogueFilters, day: date | None = None, with_facets: bool = True,
              load=cards_of) -> CataloguePage:
    """A page of the catalogue; `load` makes its cards (cards_for when callers need the products)."""
    listing = _listing(day)
    rows = listing.page(filters, (filters.page - 1) * filters.per_page, filters.per_page)
    page = CataloguePage(load(rows), listing.count(filters), filters)
    if with_facets:
        page.facets = listing.facets(filters)
    return page


def featured(limit: int = 8, day: date | None = None) -> list[Card]:
    """The 5★ and 4★ products for the home page, best and newest first."""
    rows = [row for row in _listing(day).rows[:limit] if row.stars >= 4]
    return cards_of(rows)


def group_counts(day: date | None = None) -> Counter:
    return Counter({group: mask.bit_count() for group, mask in _listing(day).masks["group"].items()})


@dataclass
class ProductDetails:
    product: Product
    certificate: Certificate | None  # valid today
    lapsed: Certificate | None  # the last certificate, when none is valid today
    related: list[Card]

    @property
    def stars(self) -> int | None:
        return self.certificate.stars if self.certificate else None


@cache
def _product_details_statement():
    # One statement, built once: the product, its producer, commune, district and craft village, its
    # photos (a few rows), and its certificates valid on the day, best first (current_certificate's order).
    return (
        select(Product, Certificate).join(Product.producer)
        .outerjoin(Certificate, and_(Certificate.product_id == Product.id, VALID_ON_DAY))
        .where(Product.slug == bindparam("slug"), Product.is_published.is_(True), Producer.is_published.is_(True))
        .options(joinedload(Product.images),
                 contains_eager(Product.producer).joinedload(Producer.area).joinedload(Area.parent),
                 contains_eager(Product.producer).joinedload(Producer.craft_village))
        .order_by(Certificate.stars.desc().nulls_last(), Certificate.valid_until.desc().nulls_last(),
                  Certificate.id))


def product_details(slug: str, day: date | None = None) -> ProductDetails | None:
    day = day or today()
    found = db.session.execute(_product_details_statement(),
                               {"slug": slug, **valid_on_params(day)}).unique().first()
    if found is None:
        return None
    product, certificate = found
    lapsed = None if certificate else latest_certificate(product)
    return ProductDetails(product, certificate, lapsed, related_products(product, day) if certificate else [])


def related_products(product: Product, day: date | None = None, limit: int = 4) -> list[Card]:
    """Other certified products of the same producer first, then of the same group."""
    listing = _listing(day)
    chosen: dict[int, ListedProduct] = {}
    for row in chain(listing.by_producer.get(product.producer_id, []), listing.in_group(product.group)):
        if row.id != product.id:
            chosen.setdefault(row.id, row)
            if len(chosen) == limit:
                break
    return cards_of(list(chosen.values()))


@cache
def _producer_statement():
    # One statement, built once: the producer, its commune and district, craft village and logo.
    return (select(Producer).where(Producer.slug == bindparam("slug"), Producer.is_published.is_(True))
            .options(joinedload(Producer.area).joinedload(Area.parent), joinedload(Producer.craft_village),
                     joinedload(Producer.logo)))


def producer_with_products(slug: str, day: date | None = None):
    """A producer and their certified products; (None, []) when unknown."""
    producer = db.session.scalar(_producer_statement(), {"slug": slug})
    if producer is None:
        return None, []
    return producer, cards_of(_listing(day).by_producer.get(producer.id, []))


def producers_with_stories(limit: int = 3, day: date | None = None) -> list[Producer]:
    """Producers of the best-rated products who have a story to tell, for the home page."""
    producer_ids = list(dict.fromkeys(row.producer_id for row in _listing(day).rows[:limit * 10]))
    producers = db.session.scalars(
        select(Producer).where(Producer.id.in_(producer_ids), Producer.story_vi != "")
        .options(selectinload(Producer.area).selectinload(Area.parent))).all()
    by_id = {producer.id: producer for producer in producers}
    return [by_id[i] for i in producer_ids if i in by_id][:limit]


def sitemap_entries(day: date | None = None) -> tuple[list[str], list[str]]:
    """Slugs of the certified products and of their producers."""
    listed, _ = certified_products(day)
    listed = listed.subquery("listed")
    products = db.session.scalars(select(listed.c.slug).order_by(listed.c.id)).all()
    producers = db.session.scalars(
        select(Producer.slug).where(Producer.id.in_(select(listed.c.producer_id))).order_by(Producer.id)).all()
    return list(products), list(producers)
