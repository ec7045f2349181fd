"""The header's menu leads to every public area, in the page's language, and marks the one being read."""
import re

import pytest

MENU = {
    "vi": [("/products", "Sản phẩm"), ("/destinations", "Điểm tham quan"), ("/sales-points", "Điểm bán"),
           ("/verify", "Xác thực giấy chứng nhận"), ("/ocop-in-figures", "OCOP qua số liệu")],
    "en": [("/en/products", "Products"), ("/en/destinations", "Places to visit"), ("/en/sales-points", "Sales points"),
           ("/en/verify", "Verify a certificate"), ("/en/ocop-in-figures", "OCOP in figures")],
}


def menu(page: str) -> list[tuple[str, str, bool]]:
    """(href, text, is the current page) of each link of the header's main menu."""
    nav = re.search(r'<nav class="site-nav"[^>]*>(.*?)</nav>', page, re.S).group(1)
    return [(href, text.strip(), "aria-current" in attributes)
            for href, attributes, text in re.findall(r'<a href="([^"]+)"([^>]*)>(.*?)</a>', nav, re.S)]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_menu_names_every_public_area_in_the_pages_language_and_each_link_works(client, lang):
    home = client.get("/" if lang == "vi" else "/en/").get_data(as_text=True)
    links = menu(home)
    assert [(href, text) for href, text, _current in links] == MENU[lang]
    assert not any(current for *_link, current in links)  # the home page is none of them
    for href, text in MENU[lang]:
        response = client.get(href)
        assert response.status_code == 200, href
        page = response.get_data(as_text=True)
        assert [(h, t) for h, t, current in menu(page) if current] == [(href, text)], href


@pytest.mark.parametrize("path, current", [
    ("/en/verify/NO-SUCH-NUMBER", "/en/verify"),  # a verification's answer is part of verifying
    ("/en/sales-points?near=ly+son", "/en/sales-points"),
])
def test_the_pages_under_an_area_mark_it(client, path, current):
    page = client.get(path).get_data(as_text=True)
    assert [href for href, _text, is_current in menu(page) if is_current] == [current]
