"""Distances by the haversine formula, checked against distances computed by hand, and positions read strictly."""
import math

import pytest

from storefront.locator.geo import BadPosition, EARTH_RADIUS_KM, format_distance, haversine_km, parse_position

# One degree of a great circle: 2πR / 360.
DEGREE_KM = 2 * math.pi * EARTH_RADIUS_KM / 360  # 111.195 km


def test_one_degree_along_the_equator_or_a_meridian_is_111_195_km():
    assert DEGREE_KM == pytest.approx(111.195, abs=0.001)
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.195, abs=0.001)
    assert haversine_km(15, 108, 16, 108) == pytest.approx(111.195, abs=0.001)


def test_a_degree_of_longitude_shrinks_with_the_cosine_of_the_latitude():
    # At 60° N two points 1° apart in longitude: by hand, 2R·asin(cos 60°·sin 0.5°) = 55.597 km.
    assert haversine_km(60, 10, 60, 11) == pytest.approx(55.597, abs=0.001)


def test_quang_ngai_to_ly_son_island():
    # By hand: Δφ = 0.2573°, Δλ = 0.3216°, φm ≈ 15.25°;
    # a = sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2) = 5.0420e-6 + 0.93042·7.8777e-6 = 1.23717e-5
    # d = 2R·asin(√a) = 2 · 6371.0088 · 0.0035174 = 44.82 km
    assert haversine_km(15.1213, 108.7989, 15.3786, 109.1205) == pytest.approx(44.82, abs=0.02)


def test_the_distance_is_symmetric_and_zero_to_itself():
    assert haversine_km(15.12, 108.8, 14.77, 108.73) == pytest.approx(haversine_km(14.77, 108.73, 15.12, 108.8))
    assert haversine_km(15.12, 108.8, 15.12, 108.8) == 0


@pytest.mark.parametrize("lat, lng, reason", [
    ("abc", "108.8", "not_number"), ("15.1", "", "not_number"), ("nan", "108", "not_number"),
    ("inf", "108", "not_number"), ("1e400", "108", "not_number"),
    ("91", "108", "out_of_range"), ("15", "-181", "out_of_range"),
    ("48.85", "2.35", "outside_vietnam"), ("-15.12", "108.8", "outside_vietnam"), ("15.12", "-108.8", "outside_vietnam"),
])
def test_bad_positions_are_refused_with_a_reason(lat, lng, reason):
    with pytest.raises(BadPosition) as refused:
        parse_position(lat, lng)
    assert str(refused.value) == reason


def test_positions_in_vietnam_are_read():
    assert parse_position(" 15.1213 ", "108.7989").latitude == 15.1213
    assert parse_position("21.0285", "105.8542")  # Hà Nội
    assert parse_position("10.7769", "106.7009")  # Thành phố Hồ Chí Minh


def test_distances_are_written_the_way_each_language_writes_them():
    assert format_distance(0.004, "vi") == "10\u00a0m"
    assert format_distance(0.5, "en") == "500\u00a0m"
    assert format_distance(3.04, "vi") == "3,0\u00a0km"
    assert format_distance(3.04, "en") == "3.0\u00a0km"
    assert format_distance(44.82, "vi") == "45\u00a0km"
