"""The list/map switch as the server writes it, and the nearest places "My position" asks for.

Without JavaScript the list comes first and the switch stays hidden (the map needs JavaScript); ?view=map
is the choice the switch keeps in the address: the new searches, pages and language links carry it, and
an unknown value is the list. /api/v1/nearest.json measures from any position on Earth with the lists' own
haversine and filters, and says when the visitor is far from every place."""
import re
from html import unescape

import pytest

from storefront.extensions import db
from storefront.locator.geo import FAR_KM, BadPosition, format_distance, parse_coordinates, parse_position

from locating import KM_NORTH, ORIGIN

PARIS = (48.8566, 2.3522)


def toolbar(html: str) -> str:
    match = re.search(r'<div class="locator-toolbar"[^>]*>.*?</div>\s*</div>', html, re.S)
    assert match, "the page has no list/map switch"
    return match.group(0)


def pressed(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-view="(list|map)"[^>]*\saria-pressed="(true|false)"', toolbar(html)))


def view_field_enabled(html: str) -> bool:
    field = re.search(r'<input type="hidden" name="view" value="map" id="view-field"[^>]*>', html).group(0)
    return "disabled" not in field


@pytest.fixture
def three_points(point_at):
    far, near, middle = point_at(12, "Điểm xa"), point_at(0.5, "Điểm gần"), point_at(3, "Điểm giữa")
    db.session.commit()
    return near, middle, far


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("page", ["/sales-points", "/destinations"])
def test_the_list_comes_first_and_the_switch_waits_for_javascript(client, three_points, make_destination, prefix,
                                                                  page):
    make_destination()
    db.session.commit()
    html = client.get(prefix + page).get_data(as_text=True)
    assert html.index('id="locator-list"') < html.index('id="map-section"')
    bar = toolbar(html)
    assert re.search(r'<div class="locator-toolbar" id="locator-toolbar" hidden', bar)
    labels = re.findall(r'class="view-switch__button"[^>]*>([^<]+)</button>', bar)
    assert labels == (["List", "Map"] if prefix else ["Danh sách", "Bản đồ"])
    assert pressed(html) == {"list": "true", "map": "false"}
    assert 'role="group"' in bar and 'aria-controls="locator-list"' in bar and 'aria-controls="map-section"' in bar
    # "My position" needs the browser's geolocation: only the script adds it.
    assert 'id="my-position"' not in html
    assert "Vị trí của tôi" in unescape(bar) or "My position" in bar  # its label, for the script
    assert not view_field_enabled(html)
    assert 'name="robots"' not in html


@pytest.mark.parametrize("query", ["view=map", "view=MAP", "view=%20map%20"])
def test_view_map_is_kept_by_the_switch_the_form_the_pages_and_the_languages(client, point_at, query):
    for number in range(21):  # two pages of twenty
        point_at(number, f"Điểm {number:02d}")
    db.session.commit()
    html = client.get(f"/sales-points?{query}").get_data(as_text=True)
    assert pressed(html) == {"list": "false", "map": "true"}
    assert re.search(r'id="locator-toolbar" hidden data-view="map"', html)
    assert view_field_enabled(html)  # a new search stays on the map
    assert html.index('id="locator-list"') < html.index('id="map-section"')  # without JavaScript, still the list first
    english = re.search(r'<a href="([^"]+)" hreflang="en"', html).group(1)
    assert "view=" in english and english.startswith("/en/sales-points?")
    next_page = re.search(r'<a rel="next" href="([^"]+)"', html).group(1)
    assert "view=" in unescape(next_page) and "page=2" in unescape(next_page)
    assert '<meta name="robots" content="noindex, follow">' in html  # the list's twin, not another page
    assert client.get(english).status_code == 200


def test_a_sorted_list_keeps_the_map_view(client, three_points):
    html = client.get(f"/en/sales-points?lat={ORIGIN[0]}&lng={ORIGIN[1]}&view=map").get_data(as_text=True)
    assert pressed(html) == {"list": "false", "map": "true"}
    assert view_field_enabled(html)
    assert re.findall(r'class="place__name"><a href="[^"]+">([^<]+)</a>', html) == ["Điểm gần", "Điểm giữa", "Điểm xa"]
    assert f'data-lat="{ORIGIN[0]}"' in html


@pytest.mark.parametrize("value", ["satellite", "", "list", "<script>", "%E1%BA%A3n-%C4%91%E1%BB%93", "m" * 5000, "1", "mapmap"])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_an_unknown_view_is_the_list(client, three_points, prefix, value):
    response = client.get(f"{prefix}/sales-points?view={value}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert pressed(html) == {"list": "true", "map": "false"}
    assert not view_field_enabled(html)
    assert "<script>" not in html.split("</head>", 1)[1].replace('<script src=', '')
    assert re.findall(r'class="place__name"><a href="[^"]+">([^<]+)</a>', html) == ["Điểm gần", "Điểm giữa", "Điểm xa"]


def test_every_card_names_its_place_for_the_marks(client, three_points):
    html = client.get("/sales-points").get_data(as_text=True)
    slugs = re.findall(r'<li class="place place--sales_point" data-slug="([^"]+)"', html)
    assert slugs == [point.slug for point in three_points]


# --- /api/v1/nearest.json --------------------------------------------------------------------------------

def nearest(client, **args):
    response = client.get("/api/v1/nearest.json", query_string=args)
    return response.status_code, response.get_json()


def test_the_three_nearest_with_their_distances_in_both_languages(client, three_points, point_at):
    point_at(30, "Điểm rất xa")
    db.session.commit()
    status, body = nearest(client, lat=ORIGIN[0], lng=ORIGIN[1])
    assert status == 200
    assert [p["name"]["vi"] for p in body["places"]] == ["Điểm gần", "Điểm giữa", "Điểm xa"]
    assert [p["distance_km"] for p in body["places"]] == pytest.approx([0.5, 3, 12], abs=0.01)
    first = body["places"][0]
    assert first["distance"] == {"vi": "500\u00a0m", "en": "500\u00a0m"}
    assert body["places"][1]["distance"] == {"vi": "3,0\u00a0km", "en": "3.0\u00a0km"}
    assert first["url"] == {"vi": f"/sales-points/{three_points[0].slug}", "en": f"/en/sales-points/{three_points[0].slug}"}
    assert first["slug"] == three_points[0].slug and first["kind"] == "sales_point"
    assert first["coordinates"] == [pytest.approx(ORIGIN[1]), pytest.approx(ORIGIN[0] + 0.5 * KM_NORTH, abs=1e-6)]
    assert body["far"] is False and body["in_vietnam"] is True and body["total"] == 4
    status, body = nearest(client, lat=ORIGIN[0] + 31 * KM_NORTH, lng=ORIGIN[1], limit=2)
    assert [p["name"]["vi"] for p in body["places"]] == ["Điểm rất xa", "Điểm xa"]


def test_a_tourist_abroad_is_told_how_far_the_nearest_is(client, three_points):
    status, body = nearest(client, lat=PARIS[0], lng=PARIS[1])
    assert status == 200
    assert body["far"] is True and body["in_vietnam"] is False
    # From Paris the farthest point north is the nearest, about 9,800 km away.
    assert body["places"][0]["name"]["vi"] == "Điểm xa"
    assert 9500 < body["places"][0]["distance_km"] < 10_000
    assert re.fullmatch(r"9\.\d{3}\u00a0km", body["places"][0]["distance"]["vi"])
    assert re.fullmatch(r"9,\d{3}\u00a0km", body["places"][0]["distance"]["en"])


def test_far_begins_past_far_km_even_in_vietnam(client, three_points):
    hanoi = nearest(client, lat=21.0285, lng=105.8542)[1]
    assert hanoi["far"] is True and hanoi["in_vietnam"] is True
    just_inside = ORIGIN[0] - (FAR_KM - 1) * KM_NORTH
    assert nearest(client, lat=just_inside, lng=ORIGIN[1])[1]["far"] is False
    assert nearest(client, lat=ORIGIN[0] - (FAR_KM + 1) * KM_NORTH, lng=ORIGIN[1])[1]["far"] is True


def test_the_lists_filters_and_kinds_apply(client, three_points, make_destination, make_area):
    elsewhere = make_area(name="Ba Tơ")
    three_points[2].area = elsewhere
    make_destination(name_vi="Làng Gò Cỏ", latitude=ORIGIN[0], longitude=ORIGIN[1] + 0.01)
    db.session.commit()
    commune = three_points[2].area.slug
    body = nearest(client, lat=ORIGIN[0], lng=ORIGIN[1], commune=commune)[1]
    assert [p["name"]["vi"] for p in body["places"]] == ["Điểm xa"] and body["total"] == 1
    body = nearest(client, lat=ORIGIN[0], lng=ORIGIN[1], kind="destination")[1]
    assert [p["name"]["vi"] for p in body["places"]] == ["Làng Gò Cỏ"]
    assert body["places"][0]["url"]["en"].startswith("/en/products/")
    body = nearest(client, lat=ORIGIN[0], lng=ORIGIN[1], group="6")[1]
    assert body["places"] == [] and body["far"] is False


@pytest.mark.parametrize("args", [
    {}, {"lat": "15.1"}, {"lng": "108.8"}, {"lat": "abc", "lng": "108.8"}, {"lat": "95", "lng": "108.8"},
    {"lat": "15.1", "lng": "181"}, {"lat": "nan", "lng": "108.8"}, {"lat": "1e309", "lng": "1"},
    {"lat": "9" * 400, "lng": "1"}, {"lat": "15.1\x00", "lng": "108.8"},
    {"lat": "15.1", "lng": "108.8", "limit": "0"}, {"lat": "15.1", "lng": "108.8", "limit": "11"},
    {"lat": "15.1", "lng": "108.8", "limit": "99999999999999999999"}, {"lat": "15.1", "lng": "108.8", "limit": "2.5"},
    {"lat": "15.1", "lng": "108.8", "kind": "everything"}, {"lat": "15.1", "lng": "108.8", "district": "khong-co"},
    {"lat": "15.1", "lng": "108.8", "group": "9"},
])
def test_a_question_it_cannot_read_is_a_400_that_says_why(client, three_points, args):
    status, body = nearest(client, **args)
    assert status == 400
    assert body["status"] == 400 and body["message"]


def test_a_position_is_never_kept_by_a_cache(client, three_points):
    response = client.get(f"/api/v1/nearest.json?lat={ORIGIN[0]}&lng={ORIGIN[1]}")
    assert response.headers["Cache-Control"] == "no-store"


# --- The rules behind it ----------------------------------------------------------------------------------

def test_any_position_on_earth_may_be_measured_from_but_lists_sort_from_vietnam():
    assert parse_coordinates(" 48.8566", "2.3522 ").latitude == 48.8566
    with pytest.raises(BadPosition, match="outside_vietnam"):
        parse_position("48.8566", "2.3522")
    for lat, lng, reason in (("91", "0", "out_of_range"), ("x", "0", "not_number"), ("inf", "0", "not_number")):
        with pytest.raises(BadPosition, match=reason):
            parse_coordinates(lat, lng)


def test_thousands_of_kilometres_are_written_with_the_languages_separator():
    assert format_distance(9871.7, "vi") == "9.872\u00a0km"
    assert format_distance(9871.7, "en") == "9,872\u00a0km"
    assert format_distance(12_345.2, "en") == "12,345\u00a0km"
    assert format_distance(999.4, "vi") == "999\u00a0km"
