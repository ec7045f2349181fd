"""Reads of the catalogue: listing, facets, a product's page, a producer's page."""
import math
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, contains_eager, selectinload

from ..areas.models import Area, AreaLevel
from ..certification.models import Certificate
from ..certification.queries import certified_products, current_certificate, latest_certificate
from ..clock import today
from ..extensions import db
from .forms import CatalogueFilters
from .models import Producer, Product

Commune = aliased(Area, name="commune")
District = aliased(Area, name="district")


@dataclass(frozen=True)
class ProductCard:
    product: Product
    stars: int


@dataclass
class CataloguePage:
    cards: list[ProductCard]
    total: int
    filters: CatalogueFilters
    facets: dict[str, dict] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.filters.per_page))


def former_districts() -> list[Area]:
    return list(db.session.scalars(
        select(Area).where(Area.level == AreaLevel.FORMER_DISTRICT).order_by(Area.name)))


def _listing(day: date | None):
    """Certified, published products with their producer, commune and former district joined."""
    query, certification = certified_products(day)
    query = (query.join(Product.producer)
             .join(Commune, Commune.id == Producer.area_id)
             .outerjoin(District, District.id == Commune.parent_id))
    return query, certification


def _filtered(query, certification, filters: CatalogueFilters, skip: str | None = None):
    if filters.stars and skip != "stars":
        query = query.where(certification.c.stars.in_(filters.stars))
    if filters.groups and skip != "group":
        query = query.where(Product.group.in_(filters.groups))
    if filters.districts and skip != "district":
        query = query.where(District.slug.in_(filters.districts))
    if filters.producer_types and skip != "type":
        query = query.where(Producer.type.in_(filters.producer_types))
    if filters.sold_online:
        query = query.where(Product.sold_online.is_(True))
    if filters.min_price is not None:
        query = query.where(Product.price >= filters.min_price)
    if filters.max_price is not None:
        query = query.where(Product.price <= filters.max_price)
    return query


def _ordering(sort: str, certification):
    return {
        "featured": (certification.c.stars.desc(), Product.name_vi),
        "price_asc": (Product.price.asc().nulls_last(), Product.name_vi),
        "price_desc": (Product.price.desc().nulls_last(), Product.name_vi),
        "newest": (Product.created_at.desc(),),
        "name": (Product.name_vi,),
    }[sort] + (Product.id,)


def catalogue(filters: CatalogueFilters, day: date | None = None, with_facets: bool = True) -> CataloguePage:
    day = day or today()
    base, certification = _listing(day)
    query = _filtered(base, certification, filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        query.options(contains_eager(Product.producer).contains_eager(Producer.area, alias=Commune),
                      selectinload(Product.images))
        .order_by(*_ordering(filters.sort, certification))
        .limit(filters.per_page).offset((filters.page - 1) * filters.per_page)
    ).unique().all()
    page = CataloguePage([ProductCard(product, stars) for product, stars in rows], total, filters)
    if with_facets:
        page.facets = _facets(base, certification, filters)
    return page


def _facets(base, certification, filters: CatalogueFilters) -> dict[str, dict]:
    """Result counts per filter value, each counted with the other filters applied (so they add up)."""
    dimensions = {
        "stars": certification.c.stars,
        "group": Product.group,
        "district": District.slug,
        "type": Producer.type,
    }
    facets = {}
    for name, column in dimensions.items():
        counts = (_filtered(base, certification, filters, skip=name)
                  .with_only_columns(column, func.count(), maintain_column_froms=True)
                  .group_by(column))
        facets[name] = {getattr(value, "value", value): count
                        for value, count in db.session.execute(counts).all()}
    return facets


def featured(limit: int = 8, day: date | None = None) -> list[ProductCard]:
    """The 5★ and 4★ products for the home page, best first."""
    query, certification = _listing(day)
    rows = db.session.execute(
        query.where(certification.c.stars >= 4)
        .options(contains_eager(Product.producer).contains_eager(Producer.area, alias=Commune),
                 selectinload(Product.images))
        .order_by(certification.c.stars.desc(), Product.created_at.desc(), Product.id)
        .limit(limit)).unique().all()
    return [ProductCard(product, stars) for product, stars in rows]


def group_counts(day: date | None = None) -> dict[int, int]:
    query, _ = certified_products(day)
    listed = query.subquery()
    return dict(db.session.execute(select(listed.c.group, func.count()).group_by(listed.c.group)).all())


@dataclass
class ProductDetails:
    product: Product
    certificate: Certificate | None  # valid today
    lapsed: Certificate | None  # the last certificate, when none is valid today
    related: list[ProductCard]

    @property
    def stars(self) -> int | None:
        return self.certificate.stars if self.certificate else None


def product_details(slug: str, day: date | None = None) -> ProductDetails | None:
    day = day or today()
    product = db.session.scalar(
        select(Product).where(Product.slug == slug, Product.is_published.is_(True))
        .options(selectinload(Product.images),
                 selectinload(Product.producer).selectinload(Producer.area).selectinload(Area.parent),
                 selectinload(Product.producer).selectinload(Producer.craft_village)))
    if product is None:
        return None
    certificate = current_certificate(product, day)
    lapsed = None if certificate else latest_certificate(product)
    return ProductDetails(product, certificate, lapsed, related_products(product, day) if certificate else [])


def related_products(product: Product, day: date | None = None, limit: int = 4) -> list[ProductCard]:
    """Other certified products of the same producer first, then of the same group."""
    query, certification = _listing(day)
    rows = db.session.execute(
        query.where(Product.id != product.id,
                    (Product.producer_id == product.producer_id) | (Product.group == product.group))
        .options(contains_eager(Product.producer).contains_eager(Producer.area, alias=Commune),
                 selectinload(Product.images))
        .order_by((Product.producer_id == product.producer_id).desc(), certification.c.stars.desc(),
                  Product.id)
        .limit(limit)).unique().all()
    return [ProductCard(p, stars) for p, stars in rows]


def producer_with_products(slug: str, day: date | None = None):
    """A producer and their certified products; None when unknown."""
    producer = db.session.scalar(
        select(Producer).where(Producer.slug == slug)
        .options(selectinload(Producer.area).selectinload(Area.parent), selectinload(Producer.craft_village)))
    if producer is None:
        return None, []
    query, certification = _listing(day)
    rows = db.session.execute(
        query.where(Product.producer_id == producer.id)
        .options(contains_eager(Product.producer).contains_eager(Producer.area, alias=Commune),
                 selectinload(Product.images))
        .order_by(certification.c.stars.desc(), Product.name_vi)).unique().all()
    return producer, [ProductCard(p, stars) for p, stars in rows]


def producers_with_stories(limit: int = 3, day: date | None = None) -> list[Producer]:
    """Producers with a certified product and a story to tell, for the home page."""
    query, _ = certified_products(day)
    listed = query.subquery()
    return list(db.session.scalars(
        select(Producer).where(Producer.id.in_(select(listed.c.producer_id)), Producer.story_vi != "")
        .options(selectinload(Producer.area).selectinload(Area.parent))
        .order_by(Producer.created_at.desc(), Producer.id).limit(limit)))


def sitemap_entries(day: date | None = None):
    query, _ = certified_products(day)
    listed = query.subquery()
    products = db.session.scalars(select(listed.c.slug).order_by(listed.c.id)).all()
    producers = db.session.scalars(
        select(Producer.slug).where(Producer.id.in_(select(listed.c.producer_id))).order_by(Producer.id)).all()
    return products, producers
