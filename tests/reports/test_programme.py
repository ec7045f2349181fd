"""Plan progress and the breakdowns are computed from certificates' dates, as of any chosen day."""
from datetime import date

import pytest

from storefront.areas.models import AreaLevel
from storefront.catalog.models import ProductGroup
from storefront.extensions import db
from storefront.labels import GROUP_NAMES
from storefront.reports.programme import Target, by_former_district, by_group, plan_progress, plan_targets

TARGETS = {2024: {"new_certified": (70, None), "new_four_star": (4, 6), "five_star_candidates": (1, 2),
                  "modern_channel_share": (50, None)},
           2025: {"new_certified": (80, None), "new_four_star": (4, 6), "five_star_candidates": (1, 2),
                  "modern_channel_share": (50, None)}}


@pytest.fixture
def mid_2025(travel_to, make_product, make_producer, make_certificate):
    """On 30/06/2025: products certified for the first time, renewed, upgraded, after the day, nominated."""
    day = date(2025, 6, 30)
    travel_to(day)
    modern = make_producer(sells_through_modern_channels=True)
    traditional = make_producer(sells_through_modern_channels=False)
    products = {}

    def product(key, producer, certificates, **fields):
        item = make_product(name_vi=key, producer=producer, stars=None, **fields)
        for stars, decided in certificates:
            make_certificate(item, stars=stars, decision_date=decided)
        products[key] = item

    product("new-3", modern, [(3, date(2025, 3, 1))])
    product("renewed", modern, [(3, date(2022, 4, 1)), (3, date(2025, 3, 20))])
    product("upgraded", traditional, [(3, date(2023, 2, 1)), (4, date(2025, 2, 10))])
    product("new-4", modern, [(4, date(2025, 5, 5))])
    product("after-the-day", traditional, [(4, date(2025, 7, 15))])
    product("last-year", traditional, [(4, date(2024, 11, 1))],
            five_star_nominated_on=date(2024, 12, 1))
    product("nominated", modern, [(4, date(2024, 6, 1))], five_star_nominated_on=date(2025, 4, 1))
    db.session.commit()
    return day, products


def test_plan_progress_counts_the_years_first_ratings_nominations_and_modern_channels(mid_2025):
    day, _ = mid_2025
    progress = plan_progress(day, TARGETS)
    assert (progress.year, progress.plan_year) == (2025, 2025)
    assert progress["new_certified"].value == 2  # new-3 and new-4; not the renewal or the upgrade
    assert progress["new_four_star"].value == 2  # upgraded and new-4; not the one decided after the day
    assert progress["five_star_candidates"].value == 1  # nominated this year, not last December
    share = progress["modern_channel_share"]
    assert (share.count, share.total, share.value) == (1, 2, 50)
    assert progress["new_certified"].target == Target(80, None)
    assert progress["new_certified"].reached is False and progress["new_certified"].percent_of_target == 2
    assert progress["new_four_star"].reached is False
    assert progress["modern_channel_share"].reached is True


def test_an_earlier_day_counts_only_what_was_decided_by_then(mid_2025):
    progress = plan_progress(date(2025, 3, 10), TARGETS)
    assert progress["new_certified"].value == 1  # new-3 only
    assert progress["new_four_star"].value == 1  # the upgrade of February
    assert progress["five_star_candidates"].value == 0


def test_a_year_without_a_plan_uses_the_latest_earlier_one_and_none_before_the_first():
    assert plan_targets(TARGETS, 2027)[0] == 2025
    assert plan_targets(TARGETS, 2027)[1]["new_certified"] == Target(80, None)
    assert plan_targets(TARGETS, 2023) == (None, {})
    progress = plan_progress(date(2023, 5, 1), TARGETS)
    assert progress.plan_year is None and all(item.target is None for item in progress.items)


def test_breakdowns_count_products_certified_on_the_day_by_former_district_and_group(
        travel_to, make_area, make_producer, make_product, make_certificate):
    travel_to(date(2025, 6, 30))
    district = make_area(name="Lý Sơn", level=AreaLevel.FORMER_DISTRICT)
    other = make_area(name="Ba Tơ", level=AreaLevel.FORMER_DISTRICT)
    island = make_producer(area=make_area(parent=district))
    highland = make_producer(area=make_area(parent=other))
    decided = date(2025, 1, 10)
    for producer, stars, group, subgroup in ((island, 4, 1, "processed"), (island, 3, 3, "essential_oils"),
                                              (highland, 3, 4, "weaving_brocade")):
        make_certificate(make_product(producer=producer, stars=None, group=group, subgroup=subgroup),
                         stars=stars, decision_date=decided)
    lapsed = make_product(producer=highland, stars=None)
    make_certificate(lapsed, stars=3, decision_date=date(2021, 1, 1))
    db.session.commit()

    districts = {row.label: row for row in by_former_district(date(2025, 6, 30))}
    assert districts["Lý Sơn"].by_stars == {3: 1, 4: 1, 5: 0} and districts["Lý Sơn"].producers == 1
    assert districts["Ba Tơ"].total == 1
    groups = {row.key: row for row in by_group(date(2025, 6, 30), GROUP_NAMES)}
    assert list(groups) == [str(int(group)) for group in ProductGroup]
    assert groups["1"].by_stars == {3: 0, 4: 1, 5: 0}
    assert groups["3"].total == groups["4"].total == 1 and groups["6"].total == 0
    # The lapsed product was certified on 01/06/2022.
    assert {row.label: row.total for row in by_former_district(date(2022, 6, 1))}["Ba Tơ"] == 1
