"""Where sign-in sends a visitor afterwards: `next` is hostile input, never a 500 and never another site."""
from urllib.parse import urljoin, urlsplit

import itertools

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from storefront.accounts.views import is_local_path
from storefront.extensions import db

from shared import PASSWORD

NASTY_STARTS = ["/", "//", "///", "/\\", "\\", "\\\\", "/\t/", "\t//", " //", "/\r\n", "/%0d%0a", "/%2F%2F",
                "http://evil.example", "https:evil.example", "javascript:", "/\u202e/", "/\u2028",
                "\x00/", "/\x7f", "//evil.example/", "/.//evil.example", "/en/../..//evil.example"]
_addresses = itertools.count()
next_values = st.one_of(st.text(max_size=60),
                        st.builds(str.__add__, st.sampled_from(NASTY_STARTS), st.text(max_size=40)))


def assert_same_site(response, target):
    assert response.status_code < 500, target
    location = response.headers.get("Location")
    if location is not None:
        # As a browser resolves it against the page it came from.
        resolved = urlsplit(urljoin("http://localhost/sign-in", location))
        assert (resolved.scheme, resolved.netloc) == ("http", "localhost"), (target, location)
        assert not urlsplit(location).path.startswith("//") and "\\" not in location, (target, location)


def test_a_signed_in_visitor_with_a_header_in_next_is_sent_home_not_served_a_500(client, make_user, sign_in):
    sign_in(make_user())
    response = client.get("/sign-in?next=/%0d%0aX-Injected:%201")
    assert response.status_code == 302 and response.location == "/account"
    assert "X-Injected" not in response.headers


@pytest.fixture
def signed_in(client, make_user, sign_in):
    return sign_in(make_user())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=next_values)
@example(target="/\r\nX-Injected: 1")
@example(target="/\u0085//evil.example")
def test_any_next_gives_a_same_site_answer_to_a_signed_in_visitor(signed_in, target):
    assert_same_site(signed_in.get("/sign-in", query_string={"next": target}), target)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=next_values)
def test_any_next_gives_a_same_site_answer_after_signing_in(client, make_user, target):
    user = make_user()
    db.session.commit()
    address = f"10.1.{next(_addresses) % 250}.{next(_addresses) % 250}"  # sign-ins per address are limited
    response = client.post("/en/sign-in", data={"email": user.email, "password": PASSWORD, "next": target},
                           environ_base={"REMOTE_ADDR": address})
    if "\x00" in target:  # a NUL byte is refused for any form, before it is read
        assert response.status_code == 400
        return
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert_same_site(response, target)
    client.post("/sign-out")


@given(target=st.text(max_size=80))
@example(target="/\ud800")
def test_a_local_path_has_no_host_and_nothing_a_browser_would_rewrite(target):
    if is_local_path(target):
        assert target.startswith("/") and not target.startswith("//") and "\\" not in target
        assert target.isprintable() and not any(character.isspace() for character in target)
        assert not urlsplit(target).netloc and urljoin("http://localhost/x", target).startswith("http://localhost/")


@pytest.mark.parametrize("target", ["/en/products?stars=4", "/sản-phẩm", "/orders/QN1#lines", "/a:b", "/?next=//x"])
def test_paths_of_the_shop_are_kept(target):
    assert is_local_path(target)
