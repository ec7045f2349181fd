"""The /search pages and the suggestion API, as a shopper (or a careless robot) uses them."""
import html
import re
import unicodedata

import pytest

from storefront.extensions import db
from storefront.search import index

from searching import line_of

RESULT = re.compile(r'<h2 class="search-result__title"><a href="([^"]+)">(.*?)</a></h2>', re.S)
COUNT = re.compile(r'<p id="results-count"[^>]*>([^<]*)</p>')


def results(page_html: str) -> list[tuple[str, str]]:
    """(link, marked-up name) of each result, in order."""
    return RESULT.findall(page_html)


def count(page_html: str) -> str:
    found = COUNT.search(page_html)
    return found.group(1) if found else None


@pytest.fixture
def fish_sauces(make_product):
    """Three fish sauces (one 4★) and a malt syrup, indexed."""
    products = {
        "anchovy": make_product(name_vi="Nước mắm cá cơm Sa Huỳnh", name_en="Sa Huỳnh anchovy fish sauce",
                                summary_vi="Nước mắm ủ chượp cá cơm trong thùng gỗ.", stars=3),
        "first_press": make_product(name_vi="Nước mắm nhĩ Đông Sơn", name_en="Đông Sơn first-press fish sauce",
                                    stars=4),
        "family": make_product(name_vi="Nước mắm gia truyền", name_en="Family fish sauce", stars=3),
        "malt": make_product(name_vi="Mạch nha Thi Phổ", name_en="Thi Phổ malt syrup", stars=3),
    }
    db.session.commit()
    index.rebuild()
    return {key: f"/products/{product.slug}" for key, product in products.items()}


def test_the_page_counts_and_marks_what_matched_with_its_tone_marks(client, fish_sauces):
    response = client.get("/search?q=nuoc+mam")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert count(page) == "Tìm thấy 3 sản phẩm được chứng nhận"
    found = results(page)
    assert {link for link, _ in found} == {fish_sauces[k] for k in ("anchovy", "first_press", "family")}
    for _, name in found:
        assert name.startswith("<mark>Nước</mark> <mark>mắm</mark> ")  # folded query, accented words marked
    assert "<mark>Nước</mark> <mark>mắm</mark> ủ chượp" in page  # the snippet too
    assert "<title>" in page and "nuoc mam" in html.unescape(page)


def test_the_english_page_counts_marks_and_links_in_english(client, fish_sauces):
    page = client.get("/en/search?q=fish+sauces").get_data(as_text=True)
    assert count(page) == "3 certified products found"
    found = results(page)
    assert {link for link, _ in found} == {"/en" + fish_sauces[k] for k in ("anchovy", "first_press", "family")}
    assert all("<mark>fish</mark> <mark>sauce</mark>" in name for _, name in found)  # stems: sauces → sauce
    page = client.get("/en/search?q=nuoc+mam").get_data(as_text=True)
    assert count(page) == "3 certified products found"


def test_a_decomposed_query_finds_and_marks_as_a_composed_one(client, fish_sauces):
    decomposed = unicodedata.normalize("NFD", "Nước mắm")
    page = client.get("/search", query_string={"q": decomposed}).get_data(as_text=True)
    assert count(page) == "Tìm thấy 3 sản phẩm được chứng nhận"
    assert all(name.startswith("<mark>Nước</mark> <mark>mắm</mark>") for _, name in results(page))
    mixed = "Nước " + unicodedata.normalize("NFD", "mắm") + " nhĩ"
    page = client.get("/search", query_string={"q": mixed}).get_data(as_text=True)
    assert [link for link, _ in results(page)] == [fish_sauces["first_press"]]


def test_facets_narrow_the_results_and_their_chip_widens_them_again(client, fish_sauces):
    page = client.get("/search?q=nuoc+mam").get_data(as_text=True)
    assert re.search(r'name="stars" value="4"\s*>\s*4 sao <span class="count">\(1\)</span>', page)
    assert re.search(r'name="stars" value="3"\s*>\s*3 sao <span class="count">\(2\)</span>', page)
    assert '<input type="hidden" name="q" value="nuoc mam">' in page  # the filters keep the query

    page = client.get("/search?q=nuoc+mam&stars=4").get_data(as_text=True)
    assert count(page) == "Tìm thấy 1 sản phẩm được chứng nhận"
    assert [link for link, _ in results(page)] == [fish_sauces["first_press"]]
    chip = re.search(r'<ul class="chips" role="list" aria-label="[^"]+">\s*<li><a href="([^"]+)">4 sao', page)
    assert chip, "the active 4★ filter has a chip that removes it"
    widened = client.get(html.unescape(chip.group(1))).get_data(as_text=True)
    assert count(widened) == "Tìm thấy 3 sản phẩm được chứng nhận"

    page = client.get("/search?q=nuoc+mam&stars=5").get_data(as_text=True)
    assert count(page) == "Tìm thấy 0 sản phẩm được chứng nhận"
    assert client.get("/search?q=nuoc+mam&stars=6").status_code == 400


def test_results_are_paged_without_repeats(client, make_product):
    for n in range(30):
        make_product(name_vi=f"Bánh tráng mè đen số {n}")
    db.session.commit()
    index.rebuild()
    first = client.get("/search?q=banh+trang").get_data(as_text=True)
    assert count(first) == "Tìm thấy 30 sản phẩm được chứng nhận"
    assert len(results(first)) == 24
    assert 'rel="next" href="/search?q=banh+trang&amp;page=2"' in first
    second = client.get("/search?q=banh+trang&page=2").get_data(as_text=True)
    assert len(results(second)) == 6
    assert 'rel="prev" href="/search?q=banh+trang"' in second
    links = [link for link, _ in results(first) + results(second)]
    assert len(set(links)) == 30
    assert client.get("/search?q=banh+trang&page=3").status_code == 404
    assert client.get("/search?q=banh+trang&page=0").status_code == 400


def test_nothing_found_offers_a_spelling_and_the_groups(client, fish_sauces):
    page = client.get("/search?q=nuoc+mamm+tooii").get_data(as_text=True)  # partial: some words match
    assert "Không có sản phẩm khớp với tất cả các từ" in page
    page = client.get("/search?q=mamxx").get_data(as_text=True)  # two letters off: too far to be searched
    assert count(page) == "Tìm thấy 0 sản phẩm được chứng nhận"
    assert "Không có sản phẩm được chứng nhận nào khớp với “mamxx”" in page
    assert 'Có phải bạn muốn tìm <a href="/search?q=mam">mam</a>?' in page
    assert 'href="/products?group=1"' in page  # browse by group instead

    page = client.get("/en/search?q=xyzzy+qwerty").get_data(as_text=True)
    assert "No certified product matches “xyzzy qwerty”" in page
    assert "Did you mean" not in page  # nothing near enough to suggest
    assert "Try fewer words or another spelling" in page
    assert 'href="/en/products?group=6"' in page


@pytest.mark.parametrize("typed, suggested", [("tpooi", "toi"), ("lyyx sonnh", "ly son"), ("quees", "que")])
def test_did_you_mean_on_the_demo_leads_to_products(demo_app, typed, suggested):
    client = demo_app.test_client()
    page = client.get("/search", query_string={"q": typed}).get_data(as_text=True)
    assert count(page) == "Tìm thấy 0 sản phẩm được chứng nhận"
    link = re.search(r'Có phải bạn muốn tìm <a href="([^"]+)">([^<]+)</a>', page)
    assert link and link.group(2) == suggested, typed
    followed = client.get(html.unescape(link.group(1))).get_data(as_text=True)
    assert results(followed)


def test_a_key_pressed_twice_or_a_letter_off_in_a_short_word_still_finds(client, fish_sauces):
    for query in ("maam", "nuooc mam", "mamm", "nuoc mqm"):
        page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        assert count(page) == "Tìm thấy 3 sản phẩm được chứng nhận", query
        assert "Có phải bạn muốn tìm" not in page


def test_the_empty_query_shows_the_search_form(client, fish_sauces):
    for url in ("/search", "/search?q=", "/search?q=+++", "/en/search?q="):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert 'id="search-page-input"' in page
        assert count(page) is None


# Input nobody should type, and some that a robot will: each answers a clean page (never a 500 or a Whoosh
# parser error).
ODD_QUERIES = [
    "!!!", '"', "*", ":", "(", "'", "-", "…", "{}", "\\", "%",
    "AND", "OR", "NOT", "toi AND ly", "nuoc OR", "(mach nha)", '"nuoc mam"', "nuoc*", "*mam", "que:tra",
    "name:toi", "toi^2", "toi~", "mam~2", "[a TO z]", "toi'; DROP TABLE product; --",
    "<script>alert(1)</script>", "a" * 10_000, "nước " * 3_000, "a\x01b\x1fc", "\x7f\x85\u2028mắm",
    "\u200bnuoc\u200b mam", unicodedata.normalize("NFD", "Nước mắm ĐẶC BIỆT"),
    "nuoc" + unicodedata.normalize("NFD", "mắm") + "Đường", "🐟 nước mắm 🧄", "ｎｕｏｃ　ｍａｍ",
]


@pytest.mark.parametrize("query", ODD_QUERIES, ids=lambda q: repr(q[:20]))
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_odd_input_answers_a_clean_page(client, fish_sauces, query, prefix):
    response = client.get(f"{prefix}/search", query_string={"q": query})
    assert response.status_code == 200, query
    page = response.get_data(as_text=True)
    assert "whoosh" not in page.lower() and "Traceback" not in page
    assert "<script>alert" not in page
    assert count(page) is not None or 'id="search-page-input"' in page


def test_queries_with_operators_search_their_words(client, fish_sauces):
    for query in ('"nuoc mam"', "nuoc AND mam", "(nuoc mam)", "nuoc* mam*", "nuoc:mam"):
        page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        assert count(page) == "Tìm thấy 3 sản phẩm được chứng nhận", query


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_nul_byte_is_a_bad_request(client, fish_sauces, prefix):
    assert client.get(f"{prefix}/search?q=nuoc%00mam").status_code == 400
    assert client.get("/api/v1/search/suggest?q=nuoc%00mam&lang=vi").status_code == 400


def test_a_name_with_markup_comes_back_escaped(client, make_product):
    make_product(name_vi="<script>alert('tỏi')</script> Tỏi Lý Sơn <b>ngon</b>", name_en="<i>Garlic</i>")
    db.session.commit()
    index.rebuild()
    page = client.get("/search?q=toi").get_data(as_text=True)
    assert "<script>alert" not in page and "<b>ngon" not in page
    assert "&lt;script&gt;" in page
    suggestion = client.get("/api/v1/search/suggest?q=toi+ly&lang=vi").get_json()["suggestions"][0]
    assert "<script>" not in suggestion["label_html"] and "<b>" not in suggestion["label_html"]
    assert suggestion["label_html"].startswith("&lt;script&gt;alert(")
    assert "<mark>Tỏi</mark> <mark>Lý</mark>" in suggestion["label_html"]
    assert suggestion["name"].startswith("<script>")  # plain text, for the script to set as text
    english = client.get("/api/v1/search/suggest?q=garlic&lang=en").get_json()["suggestions"][0]
    assert english["label_html"] == "&lt;i&gt;<mark>Garlic</mark>&lt;/i&gt;"


def test_suggestions_on_the_demo_in_both_languages(demo_app):
    client = demo_app.test_client()
    response = client.get("/api/v1/search/suggest?q=toi%20ly&lang=vi")
    assert response.status_code == 200 and response.is_json
    suggestions = response.get_json()["suggestions"]
    assert 1 <= len(suggestions) <= 8
    assert any(line_of(item["name"]) == "ly_son_garlic" for item in suggestions)
    assert all(item["url"].startswith("/products/") for item in suggestions)
    assert all(item["stars"] in (3, 4, 5) and item["producer"] for item in suggestions)
    assert all("<mark>Tỏi</mark> <mark>Lý</mark>" in item["label_html"] for item in suggestions
               if item["name"].startswith("Tỏi Lý"))

    english = client.get("/api/v1/search/suggest?q=toi%20ly&lang=en").get_json()["suggestions"]
    assert [item["url"] for item in english] == ["/en" + item["url"] for item in suggestions]
    assert any(item["name"].startswith("Lý Sơn garlic – ") for item in english)
    assert all(item["url"].startswith("/en/products/") for item in english)


@pytest.mark.parametrize("query", ["", "t", "đ", " t ", "!!", "a" * 200])
def test_suggestions_need_two_characters_and_some_word(client, fish_sauces, query):
    response = client.get("/api/v1/search/suggest", query_string={"q": query, "lang": "vi"})
    assert response.status_code == 200
    if len(query.strip()) < 2 or not query.strip("!"):
        assert response.get_json()["suggestions"] == []


def test_suggestions_refuse_long_text_and_unknown_languages_in_json(client, fish_sauces):
    assert client.get("/api/v1/search/suggest", query_string={"q": "a" * 200}).status_code == 200
    for args in ({"q": "a" * 201}, {"q": "nước " * 2_000, "lang": "en"}, {"q": "toi", "lang": "fr"},
                 {"q": "toi", "lang": ""}):
        response = client.get("/api/v1/search/suggest", query_string=args)
        assert response.status_code == 400, args
        assert response.is_json and response.get_json()["status"] == 400


def test_suggestions_keep_to_certified_products(client, make_product):
    listed = make_product(name_vi="Mật ong rừng Minh Long")
    make_product(name_vi="Mật ong rừng Sơn Hà", stars=None)
    make_product(name_vi="Mật ong rừng Ba Tơ", is_published=False)
    db.session.commit()
    index.rebuild()
    suggestions = client.get("/api/v1/search/suggest?q=mat+ong&lang=vi").get_json()["suggestions"]
    assert [item["name"] for item in suggestions] == [listed.name_vi]



def test_suggestions_show_a_renamed_product_and_producer_at_once(client, make_product, make_producer):
    producer = make_producer(name="HTX Mật ong Minh Long")
    product = make_product(name_vi="Mật ong rừng Minh Long", name_en="Minh Long wild honey", producer=producer)
    db.session.commit()
    first = client.get("/api/v1/search/suggest?q=mat+ong&lang=vi").get_json()["suggestions"]
    assert [(item["name"], item["producer"]) for item in first] == [("Mật ong rừng Minh Long", "HTX Mật ong Minh Long")]

    product.name_vi, product.name_en, product.slug = "Mật ong hoa cà phê", "Coffee blossom honey", "mat-ong-hoa-ca-phe"
    producer.name = "HTX Ong mật Sơn Hà"
    db.session.commit()
    english = client.get("/api/v1/search/suggest?q=mat+ong&lang=en").get_json()["suggestions"]
    assert [(item["name"], item["producer"], item["url"]) for item in english] == [
        ("Coffee blossom honey", "HTX Ong mật Sơn Hà", "/en/products/mat-ong-hoa-ca-phe")]
