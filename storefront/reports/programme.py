"""The programme report: progress against the year's plan, and certified products by former district
and by group, all as of any chosen day.

Certification is judged on the day as everywhere else (certification.queries); "in the year" means a
decision dated from 1 January of the day's year up to the day itself.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, distinct, extract, func, select

from ..areas.models import Area, AreaLevel
from ..catalog.models import Producer, Product, ProductGroup
from ..certification.models import CERTIFIED_STARS, Certificate
from ..certification.queries import certified_products, valid_on
from ..clock import end_of_local_day_utc
from ..extensions import db
from ..labels import FUNDING_NAMES, GROUP_NAMES, PRODUCER_TYPE_PLURALS
from ..pagecache import derived
from ..text import sort_key
from .queries import ProvinceFigures, province_figures, todays_figures

TARGET_KEYS = ("new_certified", "new_four_star", "five_star_candidates", "modern_channel_share")


@dataclass(frozen=True)
class Target:
    low: int
    high: int | None = None


@dataclass(frozen=True)
class Progress:
    key: str
    value: int
    target: Target | None
    # For a share: what the percentage is of (producers in modern channels out of `total`).
    count: int | None = None
    total: int | None = None

    @property
    def is_share(self) -> bool:
        return self.key == "modern_channel_share"

    @property
    def reached(self) -> bool | None:
        return None if self.target is None else self.value >= self.target.low

    @property
    def percent_of_target(self) -> int | None:
        """How far towards the target's lowest figure, capped at 100 (for a progress bar)."""
        if self.target is None:
            return None
        if self.target.low <= 0:
            return 100
        return min(100, round(100 * self.value / self.target.low))


@dataclass(frozen=True)
class PlanProgress:
    as_of: date
    year: int
    # The plan whose targets apply: the day's year, or the latest earlier plan; None if none is set.
    plan_year: int | None
    items: tuple[Progress, ...]

    def __getitem__(self, key: str) -> Progress:
        return next(item for item in self.items if item.key == key)


@dataclass(frozen=True)
class Breakdown:
    """Certified products of one former district or one group, by stars, with their producers."""

    key: str
    label: str
    by_stars: dict[int, int]
    producers: int

    @property
    def total(self) -> int:
        return sum(self.by_stars.values())


def plan_targets(all_targets: dict, year: int) -> tuple[int | None, dict[str, Target]]:
    """The targets that apply to `year`: its own plan's, else the latest earlier plan's."""
    years = [y for y in all_targets if y <= year]
    if not years:
        return None, {}
    plan_year = max(years)
    targets = {}
    for key in TARGET_KEYS:
        if key in all_targets[plan_year]:
            low, high = all_targets[plan_year][key]
            targets[key] = Target(low, high)
    return plan_year, targets


def plan_progress(day: date, all_targets: dict) -> PlanProgress:
    start = date(day.year, 1, 1)
    plan_year, targets = plan_targets(all_targets, day.year)

    first_rated = (select(Certificate.product_id, func.min(Certificate.decision_date).label("first"))
                   .where(Certificate.decision_date <= day).group_by(Certificate.product_id).subquery())
    new_certified = db.session.scalar(
        select(func.count()).select_from(first_rated).where(first_rated.c.first >= start)) or 0
    first_four_star = (select(Certificate.product_id, func.min(Certificate.decision_date).label("first"))
                       .where(Certificate.stars == 4, Certificate.decision_date <= day)
                       .group_by(Certificate.product_id).subquery())
    new_four_star = db.session.scalar(
        select(func.count()).select_from(first_four_star).where(first_four_star.c.first >= start)) or 0
    nominated = db.session.scalar(
        select(func.count()).select_from(Product)
        .where(Product.five_star_nominated_on.between(start, day))) or 0

    certified, _ = certified_products(day, published_only=False)
    certified = certified.subquery("certified")
    producers = (select(Producer.sells_through_modern_channels)
                 .where(Producer.id.in_(select(certified.c.producer_id))).subquery())
    total, modern = db.session.execute(select(
        func.count(), func.coalesce(func.sum(case((producers.c.sells_through_modern_channels, 1), else_=0)), 0))
        .select_from(producers)).one()
    share = round(100 * modern / total) if total else 0

    items = (
        Progress("new_certified", new_certified, targets.get("new_certified")),
        Progress("new_four_star", new_four_star, targets.get("new_four_star")),
        Progress("five_star_candidates", nominated, targets.get("five_star_candidates")),
        Progress("modern_channel_share", share, targets.get("modern_channel_share"), modern, total),
    )
    return PlanProgress(as_of=day, year=day.year, plan_year=plan_year, items=items)


def _certified_with_place(day: date):
    """(product id, stars, group, producer id, former district id) of each product certified on `day`."""
    certified, _ = certified_products(day, published_only=False)
    certified = certified.subquery("certified")
    district_id = case((Area.level == AreaLevel.FORMER_DISTRICT, Area.id), else_=Area.parent_id)
    return (select(certified.c.id, certified.c.stars, certified.c.group, certified.c.producer_id,
                   district_id.label("district_id"))
            .join(Producer, Producer.id == certified.c.producer_id)
            .join(Area, Area.id == Producer.area_id)
            .subquery("placed"))


def _breakdown(day: date, column: str):
    placed = _certified_with_place(day)
    key = placed.c[column]
    counts: dict = {}
    for value, stars, count in db.session.execute(
            select(key, placed.c.stars, func.count()).group_by(key, placed.c.stars)):
        counts.setdefault(value, {})[stars] = count
    producers = dict(db.session.execute(
        select(key, func.count(distinct(placed.c.producer_id))).group_by(key)).all())
    return counts, producers


def _stars(counts: dict) -> dict[int, int]:
    return {stars: counts.get(stars, 0) for stars in sorted(CERTIFIED_STARS)}


def by_former_district(day: date) -> list[Breakdown]:
    """Every former district-level unit, in alphabetical order, even those with no certified product."""
    counts, producers = _breakdown(day, "district_id")
    districts = db.session.scalars(select(Area).where(Area.level == AreaLevel.FORMER_DISTRICT)).all()
    return [Breakdown(district.slug, district.name, _stars(counts.get(district.id, {})),
                      producers.get(district.id, 0))
            for district in sorted(districts, key=lambda area: sort_key(area.name))]


def by_group(day: date, group_names: dict) -> list[Breakdown]:
    """The six OCOP groups of Decision 148, in their order; `group_names` gives each group's label."""
    counts, producers = _breakdown(day, "group")
    return [Breakdown(str(int(group)), str(group_names[group]), _stars(counts.get(int(group), {})),
                      producers.get(int(group), 0))
            for group in ProductGroup]


@dataclass(frozen=True)
class YearCount:
    """The certificates whose decision is dated in `year`, and what became of them by the day."""

    year: int
    decided: int
    valid: int
    expired: int
    revoked: int


def certificates_by_year(day: date) -> list[YearCount]:
    """Certificates (3–5★ decisions) by the year of their decision, up to `day`, every year from the first
    decision's to the day's, with how many are valid on `day` (certification.queries.valid_on), revoked by
    the end of it, or expired. A renewal or an upgrade is a certificate of its own, counted in its year.
    A certificate takes effect on its decision's date, so one decided by `day` is one of the three."""
    year = extract("year", Certificate.decision_date)
    revoked = Certificate.revoked_at < end_of_local_day_utc(day)
    rows = db.session.execute(
        select(year, func.count(), func.sum(case((valid_on(day), 1), else_=0)),
               func.sum(case((revoked, 1), else_=0)))
        .where(Certificate.decision_date <= day).group_by(year)).all()
    counts = {int(y): (decided, valid or 0, revoked or 0) for y, decided, valid, revoked in rows}
    if not counts:
        return []
    years = []
    for each in range(min(counts), day.year + 1):
        decided, valid, revoked = counts.get(each, (0, 0, 0))
        years.append(YearCount(each, decided, valid, decided - valid - revoked, revoked))
    return years


@dataclass(frozen=True)
class PublicFigures:
    """What the public page "OCOP in figures" shows: the province's figures and the breakdowns behind them."""

    figures: ProvinceFigures
    districts: list[Breakdown]
    groups: list[Breakdown]
    years: list[YearCount]

    @property
    def as_of(self) -> date:
        return self.figures.as_of


def todays_public_figures() -> PublicFigures:
    """Today's, computed once per content change, day and language (the groups' names are translated)."""
    def build():
        figures = todays_figures()
        day = figures.as_of
        return PublicFigures(figures, by_former_district(day), by_group(day, GROUP_NAMES),
                             certificates_by_year(day))
    return derived(f"reports.public.{get_locale()}", build)


# --- The whole report, and the rows the page and the exported files share ---

PROGRESS_LABELS = {
    "new_certified": _l("Products rated 3–5 stars for the first time this year"),
    "new_four_star": _l("Products rated 4 stars for the first time this year"),
    "five_star_candidates": _l("Products nominated for the national 5-star evaluation this year"),
    "modern_channel_share": _l("Producers with a certified product selling through modern channels"),
}


@dataclass(frozen=True)
class ProgrammeReport:
    figures: ProvinceFigures
    progress: PlanProgress
    districts: list[Breakdown]
    groups: list[Breakdown]

    @property
    def as_of(self) -> date:
        return self.figures.as_of


def programme_report(day: date, all_targets: dict) -> ProgrammeReport:
    return ProgrammeReport(province_figures(day), plan_progress(day, all_targets), by_former_district(day),
                           by_group(day, GROUP_NAMES))


def figure_rows(figures: ProvinceFigures) -> list[tuple[str, str | int, bool]]:
    """(label, value, is a sub-row) of the province's figures table, in the provincial report's order."""
    of = _("%(count)s of %(total)s")
    rows = [(_("Products with a valid OCOP certificate"), figures.certified_products, False)]
    rows += [(_("of which %(stars)s stars", stars=stars), count, True)
             for stars, count in figures.certified_by_stars.items()]
    rows.append((_("Former district-level units with at least one OCOP product"),
                 of % {"count": figures.former_districts_with_product, "total": figures.former_districts}, False))
    rows.append((_("Producers with a certified product"), figures.producers_with_certified_product, False))
    rows += [(_("of which %(kind)s", kind=str(plural).lower()), figures.producers_by_type[kind.value], True)
             for kind, plural in PRODUCER_TYPE_PLURALS.items()]
    rows.append((_("Certified products sold online in this shop"),
                 of % {"count": figures.certified_sold_online, "total": figures.certified_products}, False))
    rows.append((_("OCOP introduction-and-sales points"), figures.sales_points, False))
    rows += [(_("of which %(kind)s", kind=str(label).lower()), figures.sales_points_by_funding[funding.value], True)
             for funding, label in FUNDING_NAMES.items()]
    return rows


def target_text(progress: Progress) -> str:
    target = progress.target
    if target is None:
        return ""
    unit = "%" if progress.is_share else ""
    if target.high is None:
        return _("at least %(low)s", low=f"{target.low}{unit}")
    return _("%(low)s to %(high)s", low=target.low, high=f"{target.high}{unit}")


def value_text(progress: Progress) -> str:
    if progress.is_share:
        return _("%(share)s%% (%(count)s of %(total)s)", share=progress.value, count=progress.count,
                 total=progress.total)
    return str(progress.value)


def status_text(progress: Progress) -> str:
    if progress.reached is None:
        return _("no target set")
    return _("reached") if progress.reached else _("not yet reached")
