"""A place typed after "near" (?near=): a commune or former district, a sales point or destination by its name,
or a landmark (a beach, a port), with or without tone marks, in whole or in part; the page says what it read."""
import re

import pytest

from storefront.areas.models import AreaKind
from storefront.extensions import db
from storefront.locator import queries
from storefront.locator.models import SalesPointStock
from storefront.locator.gazetteer import Landmark, configured_landmarks

from test_locator_pages import names

MY_KHE_SHOP = ("Điểm giới thiệu và bán sản phẩm OCOP ven biển Mỹ Khê", "OCOP shop by Mỹ Khê beach")
SA_KY = Landmark("Cảng Sa Kỳ", "Sa Kỳ port (boats to Lý Sơn)", 15.2030, 108.9150, ("Sa Kỳ",))


@pytest.fixture
def landmarks(app, monkeypatch):
    """The landmarks the locator knows in this test (none unless told)."""
    def configure(*landmarks):
        monkeypatch.setitem(app.config, "LOCATOR_LANDMARKS", landmarks)
    configure()
    return configure


@pytest.fixture
def coast(make_sales_point, make_area):
    """Three sales points: one named for Mỹ Khê beach (in Tịnh Khê), one in town, one far south."""
    tinh_khe = make_area(name="Tịnh Khê")
    make_sales_point(name_vi="Điểm bán Cẩm Thành", latitude=15.1213, longitude=108.7989)
    make_sales_point(name_vi=MY_KHE_SHOP[0], name_en=MY_KHE_SHOP[1], latitude=15.1862, longitude=108.8797,
                     area=tinh_khe)
    make_sales_point(name_vi="Điểm bán Sa Huỳnh", name_en="Sa Huỳnh shop", latitude=14.6738, longitude=109.0618)
    db.session.commit()


def understood(html: str) -> str:
    return " ".join(re.search(r'id="results-count"[^>]*>(.*?)<a', html, re.S).group(1).split())


@pytest.mark.parametrize("typed", ["My Khe", "mỹ khê", "MY KHE", "ven bien my khe", "my kh", "Mỹ Khê, Quảng Ngãi"])
def test_a_sales_point_is_found_by_the_place_it_is_named_for(client, coast, landmarks, typed):
    response = client.get("/en/sales-points", query_string={"near": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert names(html)[0] == MY_KHE_SHOP[1]
    assert names(html)[1:] == ["Điểm bán Cẩm Thành", "Sa Huỳnh shop"]  # then nearest first
    assert "nearest to OCOP shop by Mỹ Khê beach first" in understood(html)
    vietnamese = client.get("/sales-points", query_string={"near": typed}).get_data(as_text=True)
    assert f"gần {MY_KHE_SHOP[0]} nhất trước" in understood(vietnamese)


def test_the_page_says_how_it_read_what_was_typed(client, coast, landmarks):
    english = understood(client.get("/en/sales-points?near=my+kh").get_data(as_text=True))
    assert "(“my kh” was read as OCOP shop by Mỹ Khê beach.)" in english
    vietnamese = understood(client.get("/sales-points?near=my+kh").get_data(as_text=True))
    assert f"(“my kh” được hiểu là {MY_KHE_SHOP[0]}.)" in vietnamese
    # Typed as it is named: nothing to explain.
    assert "was read as" not in understood(client.get("/en/sales-points?near=Tinh+Khe").get_data(as_text=True))


def test_a_landmark_that_is_no_commune_nor_sales_point_is_found(client, coast, landmarks):
    landmarks(SA_KY)
    for typed in ("Sa Ky", "cảng sa kỳ", "sa ky port", "SA KỲ"):
        html = client.get("/en/sales-points", query_string={"near": typed}).get_data(as_text=True)
        assert "nearest to Sa Kỳ port (boats to Lý Sơn) first" in understood(html), typed
        assert names(html)[0] == MY_KHE_SHOP[1]  # 4 km from the port
    vietnamese = client.get("/sales-points?near=sa+ky").get_data(as_text=True)
    assert "gần Cảng Sa Kỳ nhất trước" in understood(vietnamese)


def test_landmarks_are_configurable_and_the_default_list_knows_the_beaches_and_the_port(client, coast, landmarks):
    assert client.get("/en/sales-points?near=sa+ky").status_code == 400  # no landmark configured
    landmarks(Landmark("Bãi biển Sa Huỳnh", "Sa Huỳnh beach", 14.6640, 109.0660),
              {"name_vi": "Chợ đêm", "name_en": "Night market", "latitude": 15.12, "longitude": 108.80})
    assert names(client.get("/en/sales-points?near=night+market").get_data(as_text=True))[0] == "Điểm bán Cẩm Thành"
    assert client.get("/en/sales-points?near=sa+ky").status_code == 400
    defaults = {landmark.name_en for landmark in configured_landmarks({})}
    assert {"Mỹ Khê beach", "Sa Kỳ port (boats to Lý Sơn)", "Sa Huỳnh beach", "Lý Sơn port"} <= defaults


def test_a_landmark_outside_vietnam_or_without_its_names_stops_the_start():
    with pytest.raises(ValueError, match="Eiffel"):
        configured_landmarks({"LOCATOR_LANDMARKS": [Landmark("Eiffel", "Eiffel tower", 48.858, 2.294)]})
    with pytest.raises(ValueError):
        configured_landmarks({"LOCATOR_LANDMARKS": [Landmark("Bãi biển", "", 15.2, 108.9)]})


def test_a_commune_comes_before_a_sales_point_that_bears_its_name(client, point_at, make_sales_point, make_area,
                                                                  landmarks):
    island = make_area(name="Lý Sơn", kind=AreaKind.SPECIAL_ZONE)
    island.latitude, island.longitude = 15.38, 109.12
    point_at(0, "Điểm giới thiệu sản phẩm Lý Sơn tại đất liền")
    make_sales_point(name_vi="Điểm trên đảo", area=island, latitude=15.379, longitude=109.121)
    db.session.commit()
    for typed in ("ly son", "Lý Sơn", "lyson", "ly so", "dac khu ly son"):
        html = client.get("/en/sales-points", query_string={"near": typed}).get_data(as_text=True)
        assert "nearest to Lý Sơn special zone first" in understood(html), typed
        assert names(html)[0] == "Điểm trên đảo", typed


def test_a_destination_is_found_by_its_name(client, make_destination, landmarks):
    make_destination(name_vi="Làng du lịch Gò Cỏ", name_en="Gò Cỏ village", latitude=14.6597, longitude=109.0712)
    make_destination(name_vi="Thành cổ Quảng Ngãi", name_en="Quảng Ngãi citadel", latitude=15.1236, longitude=108.8012)
    db.session.commit()
    html = client.get("/en/destinations?near=go+co").get_data(as_text=True)
    assert names(html) == ["Gò Cỏ village", "Quảng Ngãi citadel"]
    assert "nearest to Gò Cỏ village first" in understood(html)


@pytest.mark.parametrize("typed, english, vietnamese", [
    ("tinh khee", "Did you mean: Tịnh Khê?", "Có phải bạn muốn tìm: Tịnh Khê?"),
    ("my khee", "Did you mean: Mỹ Khê beach", "Có phải bạn muốn tìm: Bãi biển Mỹ Khê"),
    ("atlantis", "such as Lý Sơn, Ba Tơ or Mỹ Khê", "ví dụ Lý Sơn, Ba Tơ hay Mỹ Khê"),
    ("b", "No place in Quảng Ngãi called “b” is known here.", "Không tìm thấy nơi nào ở Quảng Ngãi tên là “b”."),
    ("😀", "No place in Quảng Ngãi called “😀” is known here.", "Không tìm thấy nơi nào ở Quảng Ngãi tên là “😀”."),
])
def test_an_unknown_place_is_a_400_with_close_names_in_the_visitors_language(client, coast, landmarks, typed,
                                                                             english, vietnamese):
    landmarks(Landmark("Bãi biển Mỹ Khê", "Mỹ Khê beach", 15.1795, 108.8885))
    response = client.get("/en/sales-points", query_string={"near": typed})
    assert response.status_code == 400
    assert english in response.get_data(as_text=True)
    assert vietnamese in client.get("/sales-points", query_string={"near": typed}).get_data(as_text=True)


def test_the_product_page_sorts_its_sales_points_from_a_typed_landmark(client, point_at, make_sales_point, make_product,
                                                                       landmarks):
    landmarks(SA_KY)
    garlic = make_product(name_vi="Tỏi Lý Sơn")
    point_at(1, "Điểm xa cảng", stock=[garlic])
    near_port = make_sales_point(name_vi="Điểm gần cảng", latitude=15.20, longitude=108.91)
    near_port.stock = [SalesPointStock(product=garlic)]
    db.session.commit()
    html = client.get(f"/en/products/{garlic.slug}?near=sa+ky").get_data(as_text=True)
    section = html.split('id="where-to-buy"')[1].split("</section>")[0]
    assert section.index("Điểm gần cảng") < section.index("Điểm xa cảng")
    assert "Nearest to Sa Kỳ port (boats to Lý Sơn) first." in section
    unknown = client.get(f"/en/products/{garlic.slug}?near=atlantis").get_data(as_text=True)
    assert "No place in Quảng Ngãi called “atlantis” is known here." in unknown


def test_find_place_ranks_whole_words_before_beginnings_of_words(app, make_area, make_sales_point, landmarks):
    landmarks(Landmark("Bãi biển Mỹ Khê", "Mỹ Khê beach", 15.1795, 108.8885))
    make_sales_point(name_vi="Điểm bán Khê Mỹ", latitude=15.0, longitude=108.8)
    district = make_area(name="Ba Tơ", level=queries.AreaLevel.FORMER_DISTRICT)
    district.latitude, district.longitude = 14.77, 108.73
    db.session.commit()
    assert queries.find_place("my khe").name_en == "Mỹ Khê beach"  # whole words of the landmark's name
    assert queries.find_place("khe my").name_vi == "Điểm bán Khê Mỹ"
    assert queries.find_place("bai bien").name_en == "Mỹ Khê beach"  # its first words
    assert queries.find_place("huyện Ba Tơ").level == queries.AreaLevel.FORMER_DISTRICT
    with pytest.raises(queries.UnknownPlace):
        queries.find_place("ky")  # too short to be the beginning of a word; no word "ky"
