"""Sorting by distance: the cells searched ring by ring give exactly the order of a full haversine sort."""
import random

import pytest

from storefront.locator.geo import Position, haversine_km
from storefront.locator.hours import Schedule
from storefront.locator.queries import Grid, Locator, NO_FILTERS, Place, search
from storefront.text import sort_key


def place(number: int, latitude: float, longitude: float, name: str | None = None) -> Place:
    name = name or f"Điểm {number:04d}"
    return Place("sales_point", number, f"diem-{number}", name, None, "", None, latitude, longitude, None,
                 Schedule(), (), {}, name_key=sort_key(name))


@pytest.fixture(scope="module")
def locator():
    rng = random.Random(500)
    places = [place(n, rng.uniform(14.55, 15.40), rng.uniform(108.30, 108.95)) for n in range(500)]
    places += [place(500 + n, 15.38 + n * 1e-4, 109.12) for n in range(12)]  # a dense island
    places += [place(600, 15.0, 108.7, "Điểm A"), place(601, 15.0, 108.7, "Điểm B")]  # the same spot
    model = Locator()
    model.sales_points = sorted(places, key=lambda p: (p.name_key, p.id))
    return model


def full_order(locator, position):
    return sorted(locator.sales_points,
                  key=lambda p: (haversine_km(position.latitude, position.longitude, p.latitude, p.longitude),
                                 p.name_key, p.id))


@pytest.mark.parametrize("seed", range(40))
def test_the_nearest_page_is_the_full_sorts_first_page(locator, seed):
    rng = random.Random(seed)
    position = Position(rng.uniform(14.3, 15.6), rng.uniform(108.1, 109.3))
    expected = full_order(locator, position)
    for page in (1, 2, 7):
        found = search("sales_point", NO_FILTERS, position, locator, needed=page * 20)
        assert len(found) == len(expected)
        shown = found[(page - 1) * 20: page * 20]
        assert [f.place.id for f in shown] == [p.id for p in expected[(page - 1) * 20: page * 20]]
        for f in shown:
            assert f.distance_km == pytest.approx(
                haversine_km(position.latitude, position.longitude, f.place.latitude, f.place.longitude), abs=1e-9)


def test_ties_keep_name_order_and_far_positions_fall_back_to_a_full_sort(locator):
    found = search("sales_point", NO_FILTERS, Position(15.0, 108.7), locator, needed=20)
    assert [f.place.name_vi for f in found[0:2]] == ["Điểm A", "Điểm B"]
    hanoi = Position(21.03, 105.85)
    assert Grid(locator.sales_points).nearest(hanoi, 20) is None
    found = search("sales_point", NO_FILTERS, hanoi, locator, needed=20)
    assert [f.place.id for f in found[0:20]] == [p.id for p in full_order(locator, hanoi)[:20]]


def test_a_page_beyond_what_was_put_in_order_is_refused(locator):
    found = search("sales_point", NO_FILTERS, Position(15.0, 108.7), locator, needed=20)
    with pytest.raises(IndexError):
        found[20:40]
