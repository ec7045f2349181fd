"""The in-memory listing agrees with a plain reading of the rules, whatever the filters."""
import itertools
import random
import unicodedata

from werkzeug.datastructures import MultiDict

from storefront.catalog.forms import CatalogueFilters
from storefront.catalog.listing import build_listing
from storefront.catalog.models import ProducerType
from storefront.text import fold
from storefront.extensions import db


def test_names_sort_as_a_vietnamese_reader_expects(client, make_product):
    for name in ("Gạo đỏ", "Đường phèn", "Ớt bột", "Dầu quế", "Bánh tráng", "Ốc"):
        make_product(name_vi=name)
    db.session.commit()
    html = client.get("/products?sort=name").get_data(as_text=True)
    order = [n for n in ("Bánh tráng", "Dầu quế", "Đường phèn", "Gạo đỏ", "Ốc", "Ớt bột")]
    positions = [html.index(f">{name}<") for name in order]
    assert positions == sorted(positions)
    assert fold("Nước mắm ĐẶC BIỆT") == "nuoc mam dac biet"


def test_places_without_a_price_come_last_in_both_price_orders(client, make_product):
    free = make_product(group=6, price=None)
    cheap = make_product(price=10_000)
    dear = make_product(price=90_000)
    db.session.commit()
    for sort, expected in (("price_asc", [cheap, dear, free]), ("price_desc", [dear, cheap, free])):
        html = client.get(f"/products?sort={sort}").get_data(as_text=True)
        positions = [html.index(f"/products/{p.slug}") for p in expected]
        assert positions == sorted(positions), sort


def test_counts_facets_and_pages_match_a_plain_filter_over_the_products(
        make_product, make_producer, make_area):
    rng = random.Random(7)
    communes = [make_area() for _ in range(3)]
    producers = [make_producer(type=rng.choice(list(ProducerType)), area=rng.choice(communes))
                 for _ in range(6)]
    products = []
    for _ in range(60):
        stars = rng.choice([3, 3, 4, 5, None])
        product = make_product(stars=stars, group=rng.randint(1, 5), producer=rng.choice(producers),
                               price=rng.choice([None, 20_000, 85_000, 150_000, 400_000]),
                               sold_online=rng.random() < 0.5)
        products.append((product, stars))
    db.session.commit()

    listing = build_listing()
    districts = [c.parent.slug for c in communes]
    choices = {"stars": ["", "3", "4"], "group": ["", "1", "2"], "district": ["", districts[0]],
               "type": ["", "household"], "online": ["", "1"], "min_price": ["", "50000"],
               "sort": ["featured", "price_asc", "name"]}
    for combination in itertools.product(*choices.values()):
        args = MultiDict([(name, value) for name, value in zip(choices, combination) if value])
        filters = CatalogueFilters.parse(args, districts, per_page=7)

        def keep(product, stars, skip=None):
            return (stars is not None
                    and (skip == "stars" or not filters.stars or stars in filters.stars)
                    and (skip == "group" or not filters.groups or product.group in filters.groups)
                    and (skip == "district" or not filters.districts
                         or product.producer.area.parent.slug in filters.districts)
                    and (skip == "type" or not filters.producer_types
                         or product.producer.type.value in filters.producer_types)
                    and (not filters.sold_online or product.sold_online)
                    and (filters.min_price is None or (product.price or -1) >= filters.min_price))

        expected = [p.id for p, stars in products if keep(p, stars)]
        assert listing.count(filters) == len(expected), args
        assert {row.id for row in listing.page(filters, 0, 1000)} == set(expected), args
        assert len(listing.page(filters, 7, 7)) == max(0, min(7, len(expected) - 7))
        facets = listing.facets(filters)
        for stars in (3, 4, 5):
            assert facets["stars"].get(stars, 0) == sum(
                1 for p, s in products if s == stars and keep(p, s, skip="stars")), args


def _fold_by_whole_text(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped.replace("đ", "d"))


def test_folding_by_character_is_folding_the_whole_text():
    """The listing folds names through a table of characters: the same as folding each text whole."""
    assert fold("Nước mắm Đức Phổ") == "nuoc mam duc pho"
    assert fold(unicodedata.normalize("NFD", "Tỏi Lý Sơn")) == "toi ly son"
    rng = random.Random(5)
    letters = "aàáảãạăằắẳẵặâầấẩẫậđeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵĐ Ab0-\x00"
    texts = ["".join(rng.choice(letters) for _ in range(rng.randint(0, 30))) for _ in range(2000)]
    texts += ["".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(0, 8))) for _ in range(5000)]
    texts += [unicodedata.normalize("NFD", text) for text in texts[:2000]]
    texts += ["\u1100\u1161", "e\u0301\u0323", "ǅ", "İstanbul", "ß", "ﬁ"]
    assert [fold(text) for text in texts] == [_fold_by_whole_text(text) for text in texts]
