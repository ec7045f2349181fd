"""The one place that decides whether a product is OCOP-certified on a given day.

A product is certified on day D (Asia/Ho_Chi_Minh) while one of its certificates is not revoked
by the end of D and D lies within [valid_from, valid_until]. Everything that shows stars, lists
products or counts them goes through these helpers.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from ..catalog.models import Producer, Product
from ..clock import end_of_local_day_utc, today
from ..extensions import db
from ..text import contains_pattern
from .models import Certificate, normalized_code
from .numbers import certificate_key
from .rules import NUMBER_KEY_MAX_LENGTH


def _valid(day, end_of_day):
    return and_(
        Certificate.valid_from <= day,
        Certificate.valid_until >= day,
        or_(Certificate.revoked_at.is_(None), Certificate.revoked_at >= end_of_day),
    )


def valid_on(day: date | None = None):
    """SQL condition: a Certificate row is valid on `day` (default: today in Quảng Ngãi)."""
    day = day or today()
    return _valid(day, end_of_local_day_utc(day))


# The same condition for a statement built once and run many times: its day comes with valid_on_params.
VALID_ON_DAY = _valid(bindparam("valid_day"), bindparam("valid_end_of_day"))


def valid_on_params(day: date | None = None) -> dict:
    day = day or today()
    return {"valid_day": day, "valid_end_of_day": end_of_local_day_utc(day)}


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


# --- the certificate lifecycle: what is expiring, what was renewed, what to verify ---------------

# Days before expiry at which the producer is told, most urgent last (Decision 148: at least 30 days).
NOTICE_THRESHOLDS = (90, 30)


def superseded():
    """SQL condition: a Certificate row has been renewed or upgraded, i.e. another certificate of the same
    product, not revoked, lasts longer. Such a certificate needs no notice nor a call when it ends."""
    newer = aliased(Certificate)
    return exists().where(newer.product_id == Certificate.product_id, newer.id != Certificate.id,
                          newer.revoked_at.is_(None), newer.valid_until > Certificate.valid_until)


def _lapsing():
    """Certificates whose end matters: neither revoked nor replaced by a longer one."""
    return and_(Certificate.revoked_at.is_(None), ~superseded())


def expiring_between(first: date, last: date):
    """Select of the certificates that end between `first` and `last` (inclusive) and were not renewed."""
    return (select(Certificate)
            .where(Certificate.valid_until >= first, Certificate.valid_until <= last, _lapsing())
            .options(joinedload(Certificate.product).joinedload(Product.producer))
            .order_by(Certificate.valid_until, Certificate.id))


@dataclass(frozen=True)
class ExpiryDashboard:
    day: date
    expired: list  # ended in the last `EXPIRED_SHOWN_DAYS` days, not renewed
    within_30: list  # 0–30 days left
    within_90: list  # 31–90 days left


EXPIRED_SHOWN_DAYS = 365


def expiry_dashboard(day: date | None = None) -> ExpiryDashboard:
    """The certificates the office must follow up, with their products and producers to contact."""
    day = day or today()
    return ExpiryDashboard(
        day=day,
        expired=db.session.scalars(expiring_between(day - timedelta(days=EXPIRED_SHOWN_DAYS),
                                                    day - timedelta(days=1))).unique().all()[::-1],
        within_30=db.session.scalars(expiring_between(day, day + timedelta(days=30))).unique().all(),
        within_90=db.session.scalars(expiring_between(day + timedelta(days=31),
                                                      day + timedelta(days=90))).unique().all())


def notice_threshold(days_left: int) -> int | None:
    """The notice due to a certificate with `days_left` days of validity: the tightest threshold it is
    within (a certificate found 20 days before its end gets the 30-day notice, not both)."""
    due = [threshold for threshold in NOTICE_THRESHOLDS if 0 <= days_left <= threshold]
    return min(due) if due else None


def notices_due(day: date | None = None) -> list[tuple[Certificate, int]]:
    """(certificate, threshold) of every certificate whose producer is due an expiry notice on `day`."""
    day = day or today()
    certificates = db.session.scalars(
        expiring_between(day, day + timedelta(days=max(NOTICE_THRESHOLDS)))).unique().all()
    return [(certificate, notice_threshold(certificate.days_left_on(day))) for certificate in certificates]


def find_for_verification(text: str) -> list[Certificate]:
    """The certificates a number or a verification code printed on packaging names (several authorities may
    have used the same number), however it was typed: case, spaces, dashes and Unicode forms do not matter
    (numbers.certificate_key). Empty when nothing matches."""
    key = certificate_key(text)
    if not key or len(key) > NUMBER_KEY_MAX_LENGTH:
        return []
    code = normalized_code(key)
    if code is not None:
        found = db.session.scalars(select(Certificate).where(Certificate.verification_code == code)).all()
        if found:
            return list(found)
    return list(db.session.scalars(
        select(Certificate).where(Certificate.number_key == key)
        .options(joinedload(Certificate.product).joinedload(Product.producer))
        .order_by(Certificate.decision_date.desc(), Certificate.id.desc())).unique())


def certificates_of_producer(producer_id: int) -> list[Certificate]:
    """Every certificate of a producer's products, newest decision first."""
    return list(db.session.scalars(
        select(Certificate).join(Certificate.product).where(Product.producer_id == producer_id)
        .options(joinedload(Certificate.product))
        .order_by(Product.name_vi, Certificate.decision_date.desc(), Certificate.id.desc())).unique())


def certificate_history(certificate: Certificate) -> list[Certificate]:
    """All certificates of the same product, newest decision first: renewals and upgrades keep the old."""
    return list(db.session.scalars(
        select(Certificate).where(Certificate.product_id == certificate.product_id)
        .order_by(Certificate.decision_date.desc(), Certificate.id.desc())))


def is_superseded(certificate: Certificate) -> bool:
    return bool(db.session.scalar(select(superseded()).where(Certificate.id == certificate.id)))


LIST_FILTERS = ("all", "valid", "expiring", "expired", "revoked")


def certificate_list(status: str = "all", text: str = "", page: int = 1, per_page: int = 50,
                     day: date | None = None) -> tuple[list[Certificate], int]:
    """A page of certificates for the office, newest decision first, and how many match in all."""
    day = day or today()
    conditions = []
    if status == "valid":
        conditions.append(valid_on(day))
    elif status == "expiring":
        conditions += [valid_on(day), Certificate.valid_until <= day + timedelta(days=90), ~superseded()]
    elif status == "expired":
        conditions += [Certificate.valid_until < day, Certificate.revoked_at.is_(None)]
    elif status == "revoked":
        conditions.append(Certificate.revoked_at.is_not(None))
    text = (text or "")[:100]
    query = select(Certificate).join(Certificate.product).join(Product.producer)
    pattern = contains_pattern(text)
    if pattern:  # tone marks, case and spaces aside: "que tra bong" finds "Quế Trà Bồng"
        conditions.append(or_(_folded_number().like(pattern, escape="\\"),
                              Certificate.verification_code == (normalized_code(text) or ""),
                              Product.search_text.like(pattern, escape="\\"),
                              Producer.search_text.like(pattern, escape="\\")))
    query = query.where(*conditions)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.options(joinedload(Certificate.product).joinedload(Product.producer))
        .order_by(Certificate.decision_date.desc(), Certificate.id.desc())
        .limit(per_page).offset((page - 1) * per_page)).unique().all()
    return list(rows), total


def products_to_certify(text: str, limit: int = 20) -> list[Product]:
    """Products whose name or producer's name contains `text`, to pick the one a decision certifies."""
    pattern = contains_pattern((text or "")[:100])
    if pattern is None:
        return []
    return list(db.session.scalars(
        select(Product).join(Product.producer)
        .where(or_(Product.search_text.like(pattern, escape="\\"), Producer.search_text.like(pattern, escape="\\")))
        .options(joinedload(Product.producer)).order_by(Product.search_text, Product.id).limit(limit)).unique())


def _folded_number():
    """A certificate number as the office's search compares it, in SQL that SQLite and PostgreSQL share:
    numbers are Latin letters, digits and "Đ" ("015/QĐ-UBND"), so lower case and đ → d fold them."""
    return func.lower(func.replace(func.replace(Certificate.number, "Đ", "d"), "đ", "d"))
