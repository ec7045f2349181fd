"""The shop's one phone parser: Vietnamese numbers for a delivery, any callable number for a visit request."""
import re

import pytest
from hypothesis import given, strategies as st

from storefront.orders.phone import normalize_phone as orders_normalize_phone
from storefront.phone import format_phone, international_phone, normalize_phone, phone_for_the_world, tel_href

E164 = re.compile(r"\+[1-9]\d{3,14}")


@pytest.mark.parametrize("typed, expected", [
    ("+49 151 23456789", "+4915123456789"), ("0049 151 23456789", "+4915123456789"),
    ("+49 (0) 151 23456789", "+4915123456789"), ("+1 202 555 0100", "+12025550100"),
    ("+33 6 12 34 56 78", "+33612345678"), ("+82 10-1234-5678", "+821012345678"),
    ("0905 381 246", "+84905381246"), ("+84 905 381 246", "+84905381246"), ("84905381246", "+84905381246"),
    ("02553822436", "+842553822436"), ("+８４ ９０５ ３８１ ２４６", "+84905381246"),
    # Not a number anyone can call back.
    ("49 151 23456789", None), ("+49 151 234", None), ("12345", None), ("0105381246", None), ("+84 105381246", None),
    ("1800 1234", None), ("+49 151 23456789 ext. 12", None), ("", None), (None, None), ("+" + "1" * 60, None),
])
def test_international_numbers_are_read_into_e164(typed, expected):
    assert international_phone(typed) == expected


@pytest.mark.parametrize("stored, shown", [
    ("+4915123456789", "+49 1512 3456789"), ("+84905381246", "+84 905 381 246"),
    ("0905381246", "+84 905 381 246"),  # a request stored before numbers were kept in E.164
    ("", ""), (None, ""), ("không rõ", "không rõ"),
])
def test_stored_numbers_are_shown_with_their_country_code(stored, shown):
    assert format_phone(stored) == shown


def test_the_orders_keep_the_vietnamese_reading():
    assert orders_normalize_phone is normalize_phone
    assert normalize_phone("+84 905 381 246") == "0905381246"
    assert normalize_phone("+49 151 23456789") is None  # a delivery needs a Vietnamese number


@given(st.text(max_size=50))
def test_whatever_is_typed_a_visit_request_keeps_e164_or_nothing(typed):
    number = international_phone(typed)
    if number is not None:
        assert E164.fullmatch(number) and len(number) <= 16
        assert international_phone(number) == number  # reading it again changes nothing


@given(st.from_regex(r"0[35789][0-9]{8}|02[0-9]{9}", fullmatch=True))
def test_both_modes_agree_on_vietnamese_numbers(national):
    assert normalize_phone(national) == national
    assert international_phone(national) == "+84" + national[1:]


def test_numbers_on_public_pages_ring_from_abroad_and_odd_ones_stay_as_stored():
    assert (tel_href("0255 3822 888"), phone_for_the_world("0255 3822 888")) == ("+842553822888", "+84 255 3822 888")
    assert (tel_href("+49 1512 3456789"), phone_for_the_world("+49 1512 3456789")) == ("+4915123456789",
                                                                                          "+49 1512 3456789")
    # A number that cannot be read keeps its digits for the link and its text for the eye; nothing else passes.
    assert (tel_href("Zalo: 123\x00 ext"), phone_for_the_world("Zalo: 123")) == ("123", "Zalo: 123")
    assert (tel_href(None), phone_for_the_world("")) == ("", "")
