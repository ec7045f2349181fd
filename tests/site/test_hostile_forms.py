"""Every form of the shop and every address pattern, fed what no person types (Hypothesis): any Unicode
(NUL, control characters, right-to-left marks, emoji, 10,000 characters), numbers out of range, fields
sent twice. Each answer is a page, never a 5xx; a refusal is in the visitor's language and stores nothing."""
import html
import random
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from storefront.extensions import db

from crawling import Crawler, Report, interface_strings

STARTS = {"guest": ["/", "/en/", "/products", "/en/sales-points", "/destinations", "/verify", "/register",
                    "/orders/find", "/cart", "/sign-in", "/forgot-password"],
          "customer": ["/account", "/en/account", "/cart", "/en/cart"],
          "producer": ["/producer/", "/en/producer/"],
          "office": ["/admin/", "/en/admin/"]}
# Written whatever the answer, in a transaction of their own: the counts that limit guessing and floods.
COUNTERS = {"rate_limit_counter", "sign_in_throttle"}
LEAK = re.compile(r"%\(\w+\)[sd]|\{\{|object at 0x|Traceback")

hostile_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20).map(lambda text: text * 500),
    st.sampled_from(["\u202egnaoh", "😀🎉", "\x00", "a\x00b", "\x1b[31m", "\r\n\t", " ", "", "'; DROP TABLE x; --",
                     "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "%(count)s", "{{ 7*7 }}"]),
    st.integers(min_value=-(10 ** 30), max_value=10 ** 30).map(str),
    st.sampled_from(["1e309", "nan", "-inf", "²", "١٢", "0x10", "99999999999999999999", "-1", "0"]),
)


def unseed_global_random() -> None:
    """Hypothesis seeds the `random` module the same way for every example; Whoosh names its segments
    with it, and two segments of one name cannot be committed. The shop's randomness stays random."""
    random.seed()


def row_counts() -> dict:
    counts = {}
    for table in db.metadata.sorted_tables:
        if table.name not in COUNTERS:
            counts[table.name] = db.session.scalar(select(func.count()).select_from(table))
    return counts


@pytest.fixture(scope="module")
def forms_by_role(role_client):
    """{role: [(page, form)]}: one form of each kind each role meets, found by a quick crawl."""
    english, vietnamese = interface_strings()
    found = {}
    for role, starts in STARTS.items():
        crawler = Crawler(role_client(role), role, Report(), english, vietnamese, per_endpoint=2)
        crawler.submit_forms = False
        crawler.crawl(starts, limit=1500)
        found[role] = [(page, form) for page, form in crawler.forms_found.values() if form.method == "post"]
    print("forms to feed:", {role: len(forms) for role, forms in found.items()})
    assert sum(len(forms) for forms in found.values()) > 30
    return found


@pytest.mark.parametrize("role", list(STARTS))
def test_every_form_refuses_what_no_person_types_and_stores_nothing(crawl_app, role_client, forms_by_role, role):
    client = role_client(role)
    crawler = Crawler(client, role, Report(), set(), set())
    tried = 0
    for page, form in forms_by_role[role]:
        action = crawler._local(page, form.action or page)
        if not action or "/sign-out" in action:
            continue
        english = action.startswith("/en/")
        plausible, files = crawler.fill(form)
        names = [name for name in plausible if name != "csrf_token"]
        if not names:
            continue
        tried += 1

        @settings(max_examples=15, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(changes=st.dictionaries(st.sampled_from(names), st.one_of(hostile_text, st.lists(hostile_text, min_size=2,
                                                                                                max_size=3)),
                                       min_size=1, max_size=len(names)))
        def post(changes):
            unseed_global_random()
            with crawl_app.app_context():
                before = row_counts()
                response = client.post(action, data={**plausible, **changes, **files}, csrf=False)
                after = row_counts()
            body = response.get_data(as_text=True)
            assert response.status_code < 500, (action, changes, body[:300])
            shown = body  # what the page says of its own, the visitor's text (echoed in the form) aside
            for value in changes.values():
                for typed in value if isinstance(value, list) else [value]:
                    if typed.strip():
                        shown = shown.replace(html.escape(typed), "").replace(typed, "")
            assert not LEAK.search(shown), (action, changes)
            if 400 <= response.status_code < 500 and response.mimetype == "text/html":
                assert f'<html lang="{"en" if english else "vi"}">' in body, (action, changes)
                assert after == before, (action, changes, {k: (before[k], after[k]) for k in before
                                                           if before[k] != after[k]})
            # A fresh token and fresh files for the next example (the page's own, as a browser would send).
            files.update(crawler.fill(form)[1])
            plausible["csrf_token"] = client.csrf_token() if "csrf_token" in plausible else plausible.get("csrf_token")

        post()
    assert tried > 0


def _path_values():
    return st.one_of(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=5).map(lambda text: text * 2000),
                     st.integers(min_value=-(10 ** 30), max_value=10 ** 30).map(str),
                     st.sampled_from(["\x00", "%00", "..", "%2e%2e", "²", "😀", "\u202e", "en", "QN%0D%0A"]))


def test_every_address_pattern_takes_any_value(crawl_app, role_client):
    clients = {role: role_client(role) for role in ("guest", "producer", "office")}
    rules = [rule for rule in crawl_app.url_map.iter_rules() if rule.arguments - {"lang"}
             and not rule.rule.startswith("/static")]
    assert len(rules) > 20
    for rule in rules:
        role = "office" if "/admin" in rule.rule else "producer" if "/producer" in rule.rule else "guest"
        client = clients[role]
        method = "GET" if "GET" in rule.methods else "POST"

        @settings(max_examples=6, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(values=st.fixed_dictionaries({name: _path_values() for name in rule.arguments - {"lang"}}))
        def visit(values):
            unseed_global_random()
            path = rule.rule
            for name, converter in rule._converters.items():
                value = values.get(name, "en")
                if isinstance(converter, IntegerConverter) and not value.lstrip("-").isdigit():
                    value = str(len(value))  # a number where the route wants one: the value's size
                path = re.sub(rf"<(?:[^<>:]+:)?{name}>", quote(value, safe="%"), path)
            response = client.open(path, method=method, data={} if method == "POST" else None)
            assert response.status_code < 500, (method, path, response.get_data(as_text=True)[:300])

        visit()
