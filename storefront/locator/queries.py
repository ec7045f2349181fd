from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..areas.models import Area
from ..extensions import db
from .models import SalesPoint


def published_sales_points() -> list[SalesPoint]:
    return list(db.session.scalars(
        select(SalesPoint).where(SalesPoint.is_published.is_(True))
        .options(selectinload(SalesPoint.area).selectinload(Area.parent))
        .order_by(SalesPoint.name_vi)))


def sales_point_by_slug(slug: str) -> SalesPoint | None:
    return db.session.scalar(
        select(SalesPoint).where(SalesPoint.slug == slug, SalesPoint.is_published.is_(True))
        .options(selectinload(SalesPoint.area).selectinload(Area.parent)))
