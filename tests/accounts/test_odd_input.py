"""The sign-in and register forms with what no person types: a clean 4xx in the visitor's language, nothing
stored, never a 500 (PostgreSQL refuses NUL in text: it must never get that far)."""
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from storefront.accounts.models import User, UserSession
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage

from shared import PASSWORD

GOOD = {"name": "Mai", "email": "mai@example.vn", "password": "mot-mat-khau-dai", "confirm": "mot-mat-khau-dai"}
LONG = "a" * 10_000
# (field, value, Vietnamese message, English message). A NUL byte is refused for any form before it is read.
NUL_REFUSED = ("ký tự không dùng được (ký tự NUL)", "cannot be used (a NUL byte)")
ODD_REGISTRATIONS = [
    ("name", "Mai\x00", *NUL_REFUSED),
    ("email", "mai\x00@example.vn", *NUL_REFUSED),
    ("password", "mot-mat-khau\x00-dai", *NUL_REFUSED),
    ("name", "Mai\x07", "ký tự ẩn hoặc ký tự điều khiển", "invisible or control characters"),
    ("password", "mot-mat-khau\x1b-dai", "ký tự ẩn hoặc ký tự điều khiển", "invisible or control characters"),
    ("name", LONG, "tối đa 200 ký tự", "at most 200 characters"),
    ("email", LONG + "@example.vn", "tối đa 254 ký tự", "at most 254 characters"),
    ("password", LONG, "tối đa 200 ký tự", "at most 200 characters"),
    ("name", "Mai\u202egnaoh", "ký tự ẩn hoặc ký tự điều khiển", "invisible or control characters"),
    ("email", "mai\u202e@example.vn", "name@example.com", "name@example.com"),
    ("email", "😀@example.vn", "name@example.com", "name@example.com"),
    ("email", "mai@😀.vn", "name@example.com", "name@example.com"),
]


def stored() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (User, UserSession, OutboxMessage))


@pytest.mark.parametrize("field, value, vietnamese, english", ODD_REGISTRATIONS)
def test_odd_registrations_are_refused_in_the_visitors_language(client, field, value, vietnamese, english):
    data = {**GOOD, field: value}
    if field == "password":
        data["confirm"] = value
    for lang, message in (("", vietnamese), ("/en", english)):
        response = client.post(f"{lang}/register", data=data)
        assert response.status_code == 400, (lang, field, value[:20])
        assert message in response.get_data(as_text=True), (lang, field, value[:20])
    assert stored() == (0, 0, 0)


def test_a_field_sent_twice_is_refused(client):
    for lang, message in (("", "gửi hai lần"), ("/en", "sent with a field twice")):
        response = client.post(f"{lang}/register", data={**GOOD, "email": ["mai@example.vn", "lan@example.vn"]})
        assert response.status_code == 400 and message in response.get_data(as_text=True)
        response = client.post(f"{lang}/sign-in", data={"email": ["a@example.vn", "b@example.vn"],
                                                        "password": PASSWORD})
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert stored() == (0, 0, 0)


def test_a_name_in_another_script_or_with_an_emoji_is_a_name(client):
    response = client.post("/register", data={**GOOD, "name": "مريم 🌸 Mai"})
    assert response.status_code == 302
    assert db.session.scalar(select(User.name)) == "مريم 🌸 Mai"


@pytest.mark.parametrize("email, password", [
    ("lan\x00@example.vn", PASSWORD), ("lan@example.vn", PASSWORD + "\x00"), (LONG, PASSWORD),
    ("lan@example.vn", LONG), ("lan\u202e@example.vn", PASSWORD), ("😀@example.vn", PASSWORD)])
def test_odd_sign_ins_are_refused_before_anything_is_looked_up(client, make_user, email, password):
    make_user(email="lan@example.vn")
    db.session.commit()
    for lang in ("", "/en"):
        response = client.post(f"{lang}/sign-in", data={"email": email, "password": password})
        assert response.status_code in (400, 401), (lang, email[:20])
    english = client.post("/en/sign-in", data={"email": email, "password": password}).get_data(as_text=True)
    assert any(message in english for message in ("Please correct the fields marked below.",
                                                  "The email or password is not right.", NUL_REFUSED[1]))
    assert stored() == (1, 0, 0)


_addresses = itertools.count()
printable_or_not = st.text(st.characters(codec="utf-8"), max_size=300)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=printable_or_not, email=st.one_of(printable_or_not, st.emails()), password=printable_or_not)
def test_any_registration_is_answered_without_a_server_error(client, name, email, password):
    before = stored()
    response = client.post("/en/register", data={"name": name, "email": email, "password": password,
                                                 "confirm": password},
                           environ_base={"REMOTE_ADDR": f"10.2.{next(_addresses) % 250}.1"})
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        assert stored() == before
