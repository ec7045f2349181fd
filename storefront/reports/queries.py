"""The province's OCOP figures, computed from the database as of any day."""
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import distinct, func, select

from ..areas.models import Area, AreaLevel
from ..catalog.models import Producer, ProducerType, Product
from ..certification.queries import certified_products
from ..clock import today
from ..extensions import db
from ..locator.models import Funding, SalesPoint
from ..pagecache import derived


@dataclass(frozen=True)
class ProvinceFigures:
    as_of: date
    certified_products: int
    certified_by_stars: dict[int, int]
    former_districts_with_product: int
    former_districts: int
    producers_with_certified_product: int
    producers_by_type: dict[str, int]
    certified_sold_online: int
    sales_points: int
    sales_points_by_funding: dict[str, int]

    def as_json(self) -> dict:
        figures = asdict(self)
        figures["as_of"] = self.as_of.isoformat()
        figures["certified_by_stars"] = {str(k): v for k, v in self.certified_by_stars.items()}
        return figures


def todays_figures() -> ProvinceFigures:
    """Today's figures, computed once per content change and day by each worker."""
    return derived("reports.figures", province_figures)


def province_figures(day: date | None = None) -> ProvinceFigures:
    """The figures table of the provincial report, for the products certified on `day`."""
    day = day or today()
    certified, certification = certified_products(day, published_only=False)
    certified = certified.subquery("certified")
    product_ids = select(certified.c.id)

    by_stars = dict(db.session.execute(
        select(certified.c.stars, func.count()).group_by(certified.c.stars)).all())
    districts_covered = db.session.scalar(
        select(func.count(distinct(Area.parent_id)))
        .select_from(Product).join(Producer).join(Area, Area.id == Producer.area_id)
        .where(Product.id.in_(product_ids), Area.level == AreaLevel.COMMUNE))
    producer_types = dict(db.session.execute(
        select(Producer.type, func.count(distinct(Producer.id)))
        .join(Product, Product.producer_id == Producer.id)
        .where(Product.id.in_(product_ids)).group_by(Producer.type)).all())
    sold_online = db.session.scalar(
        select(func.count()).select_from(Product)
        .where(Product.id.in_(product_ids), Product.sold_online.is_(True)))
    funding = dict(db.session.execute(
        select(SalesPoint.funding, func.count()).where(SalesPoint.is_published.is_(True))
        .group_by(SalesPoint.funding)).all())

    return ProvinceFigures(
        as_of=day,
        certified_products=sum(by_stars.values()),
        certified_by_stars={stars: by_stars.get(stars, 0) for stars in (5, 4, 3)},
        former_districts_with_product=districts_covered or 0,
        former_districts=db.session.scalar(
            select(func.count()).select_from(Area).where(Area.level == AreaLevel.FORMER_DISTRICT)),
        producers_with_certified_product=sum(producer_types.values()),
        producers_by_type={t.value: producer_types.get(t, 0) for t in ProducerType},
        certified_sold_online=sold_online or 0,
        sales_points=sum(funding.values()),
        sales_points_by_funding={f.value: funding.get(f, 0) for f in Funding},
    )
