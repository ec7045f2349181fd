"""The one place that decides whether a product is OCOP-certified on a given day.

A product is certified on day D (Asia/Ho_Chi_Minh) while one of its certificates is not revoked
by the end of D and D lies within [valid_from, valid_until]. Everything that shows stars, lists
products or counts them goes through these helpers.
"""
from datetime import date

from sqlalchemy import and_, func, or_, select

from ..catalog.models import Producer, Product
from ..clock import end_of_local_day_utc, today
from ..extensions import db
from .models import Certificate


def valid_on(day: date | None = None):
    """SQL condition: a Certificate row is valid on `day` (default: today in Quảng Ngãi)."""
    day = day or today()
    return and_(
        Certificate.valid_from <= day,
        Certificate.valid_until >= day,
        or_(Certificate.revoked_at.is_(None), Certificate.revoked_at >= end_of_local_day_utc(day)),
    )


def current_stars(day: date | None = None):
    """Subquery (product_id, stars, valid_until) of every product certified on `day`, best certificate."""
    return (
        select(Certificate.product_id.label("product_id"),
               func.max(Certificate.stars).label("stars"),
               func.max(Certificate.valid_until).label("valid_until"))
        .where(valid_on(day))
        .group_by(Certificate.product_id)
        .subquery("current_certification")
    )


def certified_products(day: date | None = None, published_only: bool = True):
    """Select of (Product, stars) for the products certified on `day`."""
    certification = current_stars(day)
    query = select(Product, certification.c.stars).join(
        certification, certification.c.product_id == Product.id)
    if published_only:
        query = query.where(Product.is_published.is_(True),
                            Product.producer_id.in_(select(Producer.id).where(Producer.is_published.is_(True))))
    return query, certification


def current_certificate(product: Product, day: date | None = None) -> Certificate | None:
    """The product's certificate valid on `day` with the most stars, if any."""
    return db.session.scalars(
        select(Certificate)
        .where(Certificate.product_id == product.id, valid_on(day))
        .order_by(Certificate.stars.desc(), Certificate.valid_until.desc())
        .limit(1)
    ).first()


def latest_certificate(product: Product) -> Certificate | None:
    """The product's most recent certificate whatever its state: what a lapsed product's page explains."""
    return db.session.scalars(
        select(Certificate).where(Certificate.product_id == product.id)
        .order_by(Certificate.decision_date.desc(), Certificate.id.desc()).limit(1)
    ).first()


def stars_by_product(product_ids, day: date | None = None) -> dict[int, int]:
    """Current stars of several products at once (one query), for lists and related products."""
    if not product_ids:
        return {}
    rows = db.session.execute(
        select(Certificate.product_id, func.max(Certificate.stars))
        .where(Certificate.product_id.in_(product_ids), valid_on(day))
        .group_by(Certificate.product_id)
    )
    return dict(rows.all())
