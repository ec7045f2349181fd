"""The map's tiles come from one configured host: the Content-Security-Policy allows that host, no other."""
import pytest

from storefront import tile_source


def test_the_policy_allows_images_from_the_tile_host_only(client):
    policy = client.get("/sales-points").headers["Content-Security-Policy"]
    img_src = next(part for part in policy.split("; ") if part.startswith("img-src"))
    assert img_src == "img-src 'self' data: https://tile.openstreetmap.org"
    assert "tile.openstreetmap.org" not in policy.replace(img_src, "")  # nor scripts, styles or connections


@pytest.mark.parametrize("url, source", [
    ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
    ("https://{s}.tile.example.vn/{z}/{x}/{y}.png", "https://*.tile.example.vn"),
    ("http://127.0.0.1:8081/{z}/{x}/{y}.png", "http://127.0.0.1:8081"),
    ("/tiles/{z}/{x}/{y}.png", ""),  # served by the shop itself: 'self' covers it
])
def test_the_tile_source_is_the_tile_urls_origin(url, source):
    assert tile_source(url) == source


def test_a_tile_host_the_policy_cannot_name_is_refused():
    with pytest.raises(RuntimeError):
        tile_source("https://tiles.example.vn;script-src *" + "/{z}/{x}/{y}.png")


def test_the_map_is_given_the_configured_tiles_and_their_credit(client):
    html = client.get("/en/sales-points").get_data(as_text=True)
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
    assert "OpenStreetMap</a> contributors" in html.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"')
