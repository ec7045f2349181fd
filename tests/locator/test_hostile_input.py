"""The locator and the visit form as a tourist's phone (or a script) may reach them: odd numbers, huge or
strange text, repeated parameters, impossible dates. Never a 5xx; a refusal is a 4xx that says why in the
visitor's language, and nothing is stored."""
import itertools
import re
from datetime import timedelta
from html import unescape

import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st
from sqlalchemy import func, select

from storefront.clock import today
from storefront.extensions import db
from storefront.locator.models import VisitRequest

VIETNAMESE_WORDS = {"không", "của", "là", "và", "được", "hãy", "vui", "lòng", "bạn", "này", "quá", "ngoài", "từ", "có",
                    "các", "nơi", "đến", "nhập"}
ENGLISH_WORDS = {"the", "a", "is", "of", "to", "or", "and", "not", "in", "at", "please", "this", "your", "too"}
MESSAGES = re.compile(r'role="alert">(.*?)</div>|class="field__error"[^>]*>(.*?)</p>|class="error-page">(.*?)</div>',
                      re.S)
# Hypothesis explores; each example is one visitor (its own address), so the rate limits stay out of the way.
EXPLORE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_addresses = itertools.count(1)


def stored() -> int:
    return db.session.scalar(select(func.count()).select_from(VisitRequest))


def refusal(html: str) -> str:
    """The messages a refused page shows, without what the visitor typed (quoted back in “…”)."""
    text = " ".join(part for match in MESSAGES.findall(html) for part in match)
    text = re.sub(r"“[^”]*”?", " ", unescape(re.sub(r"<[^>]+>", " ", text)))
    return " ".join(text.split())


def assert_said_in(lang: str, response):
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    message = refusal(html)
    found = set(re.findall(r"\w+", message.lower()))
    assert message, html[-3000:]
    if lang == "en":
        assert found & ENGLISH_WORDS and not found & VIETNAMESE_WORDS, message
    else:
        assert found & VIETNAMESE_WORDS and not found & ENGLISH_WORDS, message


@pytest.fixture
def places(point_at, make_destination, make_producer, make_product):
    garlic = make_product(name_vi="Tỏi Lý Sơn")
    point_at(1, "Điểm bán", stock=[garlic])
    destination = make_destination(producer=make_producer(phone="0912345678"))
    db.session.commit()
    return {"destination": destination.product.slug, "product": garlic.slug}


LIST_PAGES = ["/sales-points", "/destinations"]
ODD_QUERIES = [
    "lat=1e309&lng=108.8", "lat=nan&lng=108.8", "lat=15.1&lng=-inf", "lat=inf&lng=nan", "lat=0x10&lng=108",
    "lat=15,12&lng=108,8", "lat=%20&lng=", "lat=15.1", "lat=" + "9" * 400 + "&lng=108",
    "near=" + "a" * 10_000, "near=%00", "near=ly%00son", "near=%E2%80%AEnos%20yl", "near=%F0%9F%8F%96%EF%B8%8F",
    "near=%ff%fe", "near=%20%20%20", "near=ly+son&near=%00", "district=99999999999999999999",
    "district=a&district=b", "commune=%00", "group=1e3", "group=-1", "page=0", "page=-1", "page=99999999999999999999",
    "page=1.5", "product=%2e%2e%2f%2e%2e", "kind=%00", "lat=15.1&lat=16&lng=108.8&lng=abc",
    "view=%00", "view=map%00", "view=map&view=list", "view=" + "m" * 10_000, "lat=48.85&lng=2.35&view=map",
    "lat=15.1&lng=108.8&limit=-1", "lat=15.1&lng=108.8&limit=%00",
]


@pytest.mark.parametrize("query", ODD_QUERIES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_odd_questions_to_the_lists_are_answered_in_the_visitors_language(client, places, lang, query):
    prefix = "/en" if lang == "en" else ""
    for page in LIST_PAGES:
        response = client.get(f"{prefix}{page}?{query}")
        assert response.status_code < 500, (page, query)
        if response.status_code >= 400:
            assert_said_in(lang, response)
    assert client.get(f"/api/v1/sales-points.geojson?{query}").status_code < 500
    assert client.get(f"/api/v1/nearest.json?{query}").status_code in (200, 400)
    assert client.get(f"{prefix}/products/{places['product']}?{query}").status_code < 500
    assert stored() == 0


DAY = (today() + timedelta(days=5)).isoformat()
GOOD = {"name": "Anna Schmidt", "phone": "+49 151 23456789", "visit_date": DAY, "party_size": "2", "message": ""}
ODD_FIELDS = [
    {"visit_date": "0000-00-00"}, {"visit_date": "99999-01-01"}, {"visit_date": "0001-01-01"},
    {"visit_date": "9999-12-31"}, {"visit_date": "31/12/9999"}, {"visit_date": "2027-13-45"},
    {"visit_date": "\x00"}, {"visit_date": ""}, {"party_size": str(10 ** 30)}, {"party_size": str(-10 ** 30)},
    {"party_size": "1e3"}, {"party_size": "2.5"}, {"party_size": "NaN"}, {"party_size": "\x00"},
    {"name": "x" * 10_000}, {"name": "\x00"}, {"name": "\u202e\u202e"}, {"phone": "\x00"}, {"phone": "+" * 500},
    {"phone": "+49 151 23456789" * 10}, {"phone": "😀"}, {"message": "x" * 100_000},
]


@pytest.mark.parametrize("changes", ODD_FIELDS, ids=[repr(c)[:40] for c in ODD_FIELDS])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_odd_visit_requests_are_refused_in_the_visitors_language_and_nothing_is_stored(client, places, lang,
                                                                                        changes):
    prefix = "/en" if lang == "en" else ""
    response = client.post(f"{prefix}/destinations/{places['destination']}/visit", data={**GOOD, **changes},
                           environ_base={"REMOTE_ADDR": f"10.9.{next(_addresses) % 250}.1"})
    assert response.status_code == 400
    assert_said_in(lang, response)
    assert stored() == 0


# --- The same, explored by Hypothesis --------------------------------------------------------------------

odd_text = st.one_of(
    st.text(max_size=30), st.text(max_size=300),
    st.sampled_from(["", " ", "nan", "-inf", "1e309", "0", "-0", "99999999999999999999", "\u202e", "😀", "ly son",
                     "Lý Sơn", "15.12", "108.8", "1", "6"]),
    st.floats().map(str), st.integers().map(str))
# (`lang`, a name every page reserves, is the site's to read, not the locator's.)
parameter = st.sampled_from(["lat", "lng", "near", "district", "commune", "group", "product", "page", "kind", "view",
                             "limit"])


@EXPLORE
@given(pairs=st.lists(st.tuples(parameter, odd_text), max_size=6), lang=st.sampled_from(["vi", "en"]),
       page=st.sampled_from(LIST_PAGES))
def test_no_question_to_the_locator_is_a_server_error(client, places, pairs, lang, page):
    prefix = "/en" if lang == "en" else ""
    response = client.get(prefix + page, query_string=pairs)
    assert response.status_code in (200, 400, 404), pairs
    if response.status_code == 400:
        assert_said_in(lang, response)
    assert client.get("/api/v1/sales-points.geojson", query_string=pairs).status_code in (200, 400)
    assert client.get("/api/v1/nearest.json", query_string=pairs).status_code in (200, 400)
    assert client.get(f"{prefix}/products/{places['product']}", query_string=pairs).status_code in (200, 400)


dates = st.one_of(st.dates().map(lambda d: d.isoformat()), st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
                  st.integers(-3, 400).map(lambda n: (today() + timedelta(days=n)).isoformat()), odd_text)
phones = st.one_of(st.sampled_from(["0905 381 246", "+49 151 23456789", "+1 650 253 0000", "0049 151 23456789",
                                    "12345", "+84 105381246"]), odd_text)
sizes = st.one_of(st.integers(-10, 300).map(str), st.integers().map(str), st.just(str(10 ** 30)), odd_text)


FIELDS = {"name": st.one_of(st.sampled_from(["Anna", "Nguyễn Thị Mai", "李小龍", "O'Brien-Smith"]), odd_text),
          "phone": phones, "visit_date": dates, "party_size": sizes,
          "message": st.one_of(st.just(""), odd_text, st.text(min_size=990, max_size=1100))}
# A good request with up to three fields changed: odd ones are refused, good ones go through.
changed_fields = st.lists(st.sampled_from(list(FIELDS)), unique=True, max_size=3).flatmap(
    lambda names: st.fixed_dictionaries({name: FIELDS[name] for name in names}))


@EXPLORE
@given(changes=changed_fields, lang=st.sampled_from(["vi", "en"]))
def test_a_visit_request_is_stored_whole_or_refused_with_a_message(client, places, changes, lang):
    before = stored()
    prefix = "/en" if lang == "en" else ""
    response = client.post(f"{prefix}/destinations/{places['destination']}/visit",
                           data={**GOOD, **changes},
                           environ_base={"REMOTE_ADDR": f"10.{next(_addresses) % 250}.0.1"})
    assert response.status_code in (303, 400), response.status_code
    event(f"answered {response.status_code}")
    if response.status_code == 303:
        visit = db.session.scalars(select(VisitRequest).order_by(VisitRequest.id.desc())).first()
        assert stored() == before + 1
        assert re.fullmatch(r"\+[1-9]\d{3,14}", visit.phone)
        assert visit.name and visit.name == visit.name.strip() and "\x00" not in visit.name + visit.message
        assert 1 <= visit.party_size <= 200 and today() <= visit.visit_date <= today() + timedelta(days=365)
    else:
        assert stored() == before
        assert_said_in(lang, response)
