"""Relevance on the demo catalogue: what a shopper types finds what they meant, near the top.

Each expectation names what the shopper wants (a catalogue line, a place, a producer), never a product id,
so the suite holds whatever brands the demo invents.
"""
import unicodedata

import pytest
from sqlalchemy import select

from storefront.catalog.listing import current_listing
from storefront.catalog.models import Producer, ProducerType, Product
from storefront.demo.catalogue import TRADES
from storefront.extensions import db
from storefront.search import index
from storefront.text import fold


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


class Lines:
    """The result belongs to one of these catalogue lines (and, optionally, is made in a place)."""

    def __init__(self, *keys, made_in=None):
        self.keys, self.made_in = set(keys), made_in

    def __call__(self, hit) -> bool:
        return hit.line in self.keys and (self.made_in is None or hit.made_in(self.made_in))

    def __repr__(self):
        return f"one of {sorted(self.keys)}" + (f" made in {self.made_in}" if self.made_in else "")


class MadeIn:
    """The result is made in this commune or former district."""

    def __init__(self, place):
        self.place = place

    def __call__(self, hit) -> bool:
        return hit.made_in(self.place)

    def __repr__(self):
        return f"made in {self.place}"


def trade(key):
    return TRADES[key].lines


GARLIC = Lines("ly_son_garlic", "single_clove_garlic", "black_garlic", "black_single_clove")
LY_SON_GARLIC = Lines("ly_son_garlic")
BLACK_GARLIC = Lines("black_garlic", "black_single_clove")
FISH_SAUCE = Lines("anchovy_fish_sauce", "first_press_fish_sauce")
CINNAMON = Lines("tra_bong_cinnamon", "cinnamon_powder")  # the spice, not the soap or the liquor
TRA_BONG_CINNAMON = Lines("tra_bong_cinnamon")
MALT_SYRUP = Lines("thi_pho_malt", "ginger_malt")
ROCK_SUGAR = Lines("rock_sugar")
BROCADE = Lines(*trade("brocade"))
SALT = Lines("sa_huynh_salt", "salt_flakes")
LINGZHI = Lines("red_lingzhi", "sliced_lingzhi")
MUSHROOMS = Lines("red_lingzhi", "sliced_lingzhi", "oyster_mushroom")
DRIED_BEEF = Lines(*trade("dried_beef"))
RICE_PAPER = Lines(*trade("rice_paper"))
POTTERY = Lines(*trade("pottery"))


# The issue's own examples: the right certified product comes FIRST.
FIRST = [
    ("nuoc mam sa huynh", Lines("anchovy_fish_sauce", "first_press_fish_sauce", made_in="Sa Huỳnh")),
    ("toi ly son", LY_SON_GARLIC),  # the garlic itself: not garlic liquor, not garlic steeped in honey
    ("duong phen", ROCK_SUGAR),
    ("QUẾ TRÀ BỒNG", TRA_BONG_CINNAMON),
    ("mach nha", MALT_SYRUP),
    ("cinnamon", CINNAMON),  # the spice, not cinnamon tea or soap
    ("garlic", GARLIC),  # garlic, not the garlic-field visit or black garlic extract
    ("brocade", BROCADE),
]

# The expected product among the first three results.
TOP_THREE = [
    # with and without tone marks, any case, decomposed input
    ("nước mắm", FISH_SAUCE),
    ("nuoc mam", FISH_SAUCE),
    ("NƯỚC MẮM", FISH_SAUCE),
    (nfd("Nước mắm"), FISH_SAUCE),
    ("Tỏi Lý Sơn", LY_SON_GARLIC),
    (nfd("Tỏi Lý Sơn"), LY_SON_GARLIC),
    ("tỏi", GARLIC),
    ("toi", GARLIC),
    ("quế", CINNAMON),
    ("que tra bong", TRA_BONG_CINNAMON),
    ("đường phèn", ROCK_SUGAR),
    (nfd("Đường phèn"), ROCK_SUGAR),  # Đ does not decompose, the rest of the word does
    ("DUONG PHEN QUANG NGAI", ROCK_SUGAR),
    ("tỏi đen", BLACK_GARLIC),
    ("hành tím", Lines("ly_son_shallot")),
    ("muối", SALT),
    ("linh chi", LINGZHI),
    # several words, in any order
    ("tỏi đen cô đơn", Lines("black_single_clove")),
    ("tỏi cô đơn", Lines("single_clove_garlic")),
    ("tỏi lý sơn ngâm mật ong", Lines("garlic_honey")),
    ("hanh tim phi", Lines("fried_shallot")),
    ("nước mắm nhĩ", Lines("first_press_fish_sauce")),
    ("nước mắm cá cơm", Lines("anchovy_fish_sauce")),
    ("hoa muoi", Lines("salt_flakes")),
    ("mắm ruốc", Lines("shrimp_paste")),
    ("cá bống kho tiêu", Lines("braised_goby")),
    ("bo kho", DRIED_BEEF),
    ("mật ong rừng", Lines("forest_honey")),
    ("rượu cần", Lines("ruou_can")),
    ("keo guong", Lines("keo_guong")),
    ("banh trang me den", Lines("sesame_rice_paper")),
    ("mực một nắng", Lines("sun_dried_squid")),
    ("bột quế", Lines("cinnamon_powder")),
    ("tinh dầu quế", Lines("cinnamon_oil")),
    ("quế trà bồng nhang", Lines("cinnamon_incense")),
    ("gom my thien", POTTERY),
    # English
    ("fish sauce", FISH_SAUCE),
    ("rock sugar", ROCK_SUGAR),
    ("black garlic", BLACK_GARLIC),
    ("salt", SALT),
    ("sea salt", Lines("sa_huynh_salt")),
    ("lingzhi", LINGZHI),
    ("citadel", Lines("quang_ngai_citadel")),
    ("dried beef", DRIED_BEEF),
    ("shallots", Lines("ly_son_shallot")),
    ("honey", Lines("forest_honey")),
    ("malt syrup", MALT_SYRUP),
    ("jar wine", Lines("ruou_can")),
    ("rice paper", RICE_PAPER),
    ("cinnamon oil", Lines("cinnamon_oil")),
    ("garlic in honey", Lines("garlic_honey")),
    # typos
    ("cinamon", CINNAMON),
    ("garlik", GARLIC),
    ("lingzi", LINGZHI),
    ("mushrom", MUSHROOMS),
    ("duong phenn", ROCK_SUGAR),
    ("nuoc mam truyen thongg", Lines("anchovy_fish_sauce")),
    ("nuoc mamm", FISH_SAUCE),
    ("tooi ly son", GARLIC),
    ("toii", GARLIC),
    ("garlicc", GARLIC),
    ("tooi lyy sonn", GARLIC),
    ("cinammon", CINNAMON),
    # the last word still being typed
    ("toi ly s", GARLIC),
    ("mach n", MALT_SYRUP),
    ("nuoc m", FISH_SAUCE),
    ("thổ c", BROCADE),
    ("linh c", LINGZHI),
    ("que tra b", TRA_BONG_CINNAMON),
    ("brocad", BROCADE),
    # places
    ("Thi Phổ", Lines("thi_pho_malt")),
    ("Mỹ Thiện", POTTERY),
    (nfd("thổ cẩm Ba Tơ"), Lines(*trade("brocade"), made_in="Ba Tơ")),
]

# A place: the first three results are all made there.
PLACES = [("Sa Huỳnh", "Sa Huỳnh"), ("sa huynh", "Sa Huỳnh"), ("sa huyng", "Sa Huỳnh"), ("lyy sonn", "Lý Sơn"), ("Lý Sơn", "Lý Sơn"),
          ("ly son", "Lý Sơn"), ("Ba Tơ", "Ba Tơ"), ("Trà Bồng", "Trà Bồng"), ("Minh Long", "Minh Long"),
          ("Sơn Tịnh", "Sơn Tịnh")]

# Expectations the search does not meet yet (see the report that came with these tests): they stay out of
# the suite until the search is fixed, so that a regression elsewhere is not hidden by a known failure.
NOT_YET: dict[str, str] = {}


def _known(cases):
    return [pytest.param(*case, id=case[0]) for case in cases if case[0] not in NOT_YET]


@pytest.mark.parametrize("query, wanted", _known(FIRST))
def test_the_issues_queries_find_the_right_product_first(find_demo, query, wanted):
    found = find_demo(query)
    assert found.hits, f"{query!r} found nothing"
    assert wanted(found.hits[0]), f"{query!r}: wanted {wanted} first, got " + "; ".join(map(str, found.hits[:5]))


@pytest.mark.parametrize("query, wanted", _known(TOP_THREE))
def test_what_a_shopper_types_finds_the_product_in_the_top_three(find_demo, query, wanted):
    found = find_demo(query)
    assert any(wanted(hit) for hit in found.hits[:3]), \
        f"{query!r}: wanted {wanted} in the top three, got " + "; ".join(map(str, found.hits[:5]))


@pytest.mark.parametrize("query, place", _known(PLACES))
def test_a_place_finds_what_is_made_there_first(find_demo, query, place):
    found = find_demo(query)
    assert len(found.hits) >= 3
    assert all(hit.made_in(place) or fold(place) in fold(hit.name_vi) for hit in found.hits[:3]), \
        f"{query!r}: " + "; ".join(map(str, found.hits[:5]))


def _demo_producer(demo_app, type: ProducerType, prefix: str = "") -> tuple[str, set[int]]:
    """The first producer of a type (by slug) with two or more products listed today, and those products."""
    with demo_app.test_request_context("/search"):
        listed = current_listing().position
        for producer in db.session.scalars(select(Producer).where(Producer.type == type).order_by(Producer.slug)):
            products = {p.id for p in producer.products if p.id in listed}
            if len(products) >= 2 and producer.name.startswith(prefix):
                return producer.name, products
    raise AssertionError(f"no {type} in the demo has two listed products")


@pytest.mark.parametrize("type", [ProducerType.ENTERPRISE, ProducerType.COOPERATIVE, ProducerType.HOUSEHOLD])
@pytest.mark.parametrize("spelling", ["as written", "folded"])
def test_a_producers_name_finds_its_products_first(demo_app, find_demo, type, spelling):
    name, products = _demo_producer(demo_app, type)
    query = name if spelling == "as written" else fold(name)
    found = find_demo(query)
    assert found.ids[:len(products)] and set(found.ids[:min(3, len(products))]) <= products, \
        f"{query!r}: " + "; ".join(map(str, found.hits[:5]))


def test_a_households_person_name_finds_its_products(demo_app, find_demo):
    name, products = _demo_producer(demo_app, ProducerType.HOUSEHOLD, prefix="Hộ kinh doanh ")
    person = name.removeprefix("Hộ kinh doanh ")
    found = find_demo(person)
    assert set(found.ids[:2]) <= products, f"{person!r}: " + "; ".join(map(str, found.hits[:5]))


@pytest.mark.parametrize("order", [1, -1], ids=["made in order", "made in reverse"])  # ties go either way
def test_an_exact_accent_match_ranks_above_a_folded_one(app, find, make_product, make_producer, order):
    """Words that fold to the same letters: each spelling finds its own product first, and the folded
    spelling finds them all."""
    producer = make_producer(name="Cơ sở Hòa Bình")
    families = {
        "toi": ["Tỏi", "Tơi", "Tới", "Tôi"],
        "mam": ["Mắm", "Mầm", "Mâm", "Mấm"],
        "duong": ["Đường", "Dương", "Đương", "Dưỡng"],
    }
    made = {}
    for variants in families.values():
        for variant in variants[::order]:
            made[variant] = make_product(name_vi=f"{variant} Quảng Ngãi", name_en=None, producer=producer).id
    db.session.commit()
    index.rebuild()

    for folded, variants in families.items():
        assert set(find(folded).ids) == {made[v] for v in variants}, folded
        for variant in variants:
            for query in (variant, variant.lower(), variant.upper(), nfd(variant), f"{variant} Quảng Ngãi",
                          f"{variant.lower()} quang ngai"):
                found = find(query)
                assert found.ids[0] == made[variant], (query, [h.name_vi for h in found.hits])
                assert set(found.ids) == {made[v] for v in variants}, query


def test_lapsed_products_never_show(demo_app, find_demo):
    """Every demo product whose certificate expired or was revoked: absent, however it is searched."""
    from storefront.search.queries import suggestions

    with demo_app.test_request_context("/search"):
        listed = current_listing().position
        lapsed = [(p.id, p.name_vi) for p in db.session.scalars(select(Product).order_by(Product.id))
                  if p.id not in listed]
    assert len(lapsed) >= 9  # the demo's expired and revoked certificates (roster.LAPSED)
    for product_id, name in lapsed:
        line_name = " ".join(name.split()[:-2])  # the brand's other products of the line are listed
        for query in (name, fold(name), name.upper(), line_name, fold(line_name)):
            found = find_demo(query)
            assert product_id not in found.ids, query
        assert find_demo(line_name).hits, f"{line_name!r}: its certified namesakes should still be found"
        with demo_app.test_request_context("/search"):
            assert product_id not in [item["id"] for item in suggestions(name)]
    client = demo_app.test_client()
    for product_id, name in lapsed:
        with demo_app.app_context():
            slug = db.session.get(Product, product_id).slug
        assert f"/products/{slug}\"" not in client.get("/search", query_string={"q": name}).get_data(as_text=True)
