"""The JSON list of a province's communes that the checkout's commune search loads."""
import pytest

from storefront.addresses.units import DATA_VERSION


def test_a_province_lists_its_communes_in_order_with_a_long_cache(client):
    response = client.get(f"/api/v1/provinces/51/communes?v={DATA_VERSION}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    data = response.get_json()
    assert data["province"] == {"code": 51, "name": "Quảng Ngãi", "short_name": "Quảng Ngãi"}
    assert data["data_version"] == DATA_VERSION
    names = [unit["name"] for unit in data["communes"]]
    assert len(names) == 96 and names[0] == "Xã An Phú"
    ly_son = next(unit for unit in data["communes"] if unit["name"] == "Đặc khu Lý Sơn")
    assert ly_son == {"code": 21548, "name": "Đặc khu Lý Sơn", "short_name": "Lý Sơn", "kind": "special_zone"}


def test_without_the_data_version_it_is_kept_for_a_day_only(client):
    for url in ("/api/v1/provinces/79/communes", "/api/v1/provinces/79/communes?v=2019-01-01"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=86400"
        assert response.get_json()["province"]["name"] == "Thành phố Hồ Chí Minh"


def test_a_browser_holding_the_list_gets_not_modified(client):
    first = client.get("/api/v1/provinces/1/communes")
    again = client.get("/api/v1/provinces/1/communes", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data


@pytest.mark.parametrize("code", ["99", "0", "abc", "51.0", "-51", "1" * 40, "quang-ngai", "５１"])
def test_an_unknown_province_is_a_json_404(client, code):
    response = client.get(f"/api/v1/provinces/{code}/communes")
    assert response.status_code == 404 and response.mimetype == "application/json"
    assert response.get_json()["status"] == 404
    assert "max-age=31536000" not in response.headers.get("Cache-Control", "")


def test_a_nul_byte_in_the_address_is_refused_as_json(client):
    response = client.get("/api/v1/provinces/51%00/communes")
    assert response.status_code == 400 and response.get_json()["status"] == 400
