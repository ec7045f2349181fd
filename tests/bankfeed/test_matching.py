"""The order number found in a transfer description whatever the banks did to it."""
from hypothesis import given, settings
from hypothesis import strategies as st

from storefront.bankfeed.matching import SHORTEST_CUT, folded, numbers_named
from storefront.orders.operations import NUMBER_ALPHABET

NUMBER = "QN7K2M9PXA"


def test_the_number_is_found_among_a_banks_words_in_any_case():
    for description in (NUMBER, NUMBER.lower(), f"MBVCB.3278907687.{NUMBER}.CT tu 0912345678 NGUYEN VAN AN",
                        "qn 7k2m-9pxa thanh toan don hang", "Thanh toán đơn QN-7K2M-9PXA", f"IBFT {NUMBER}"):
        whole, _ = numbers_named(description)
        assert whole == [NUMBER], description


def test_a_number_cut_short_is_offered_as_beginnings_longest_first():
    whole, beginnings = numbers_named("MBVCB.3278907687.QN7K2M9PX")
    assert whole == [] and beginnings == ["QN7K2M9PX", "QN7K2M9P"]
    assert numbers_named("QN7K2")[1] == []  # too short to name one order


def test_a_number_running_into_the_next_word_still_offers_its_beginning():
    whole, beginnings = numbers_named("QN7K2M9P THANH TOAN")  # cut, then words: QN7K2M9PTH…
    assert "QN7K2M9P" in beginnings


def test_several_numbers_are_all_found_in_order():
    assert numbers_named("QN7K2M9PXA va QNABCDEFGH")[0] == ["QN7K2M9PXA", "QNABCDEFGH"]


def test_tone_marks_and_d_are_folded():
    assert folded("Đơn hàng qn7k2m9pxa") == "DONHANGQN7K2M9PXA"


numbers = st.text(alphabet=NUMBER_ALPHABET, min_size=8, max_size=8).map(lambda tail: "QN" + tail)
words = st.lists(st.sampled_from(["MBVCB", "CT", "tu", "0912345678", "NGUYEN", "VAN", "AN", "toi", "IBFT", "Thanh",
                                  "toán", "đơn", "FT24123", "."]), max_size=6).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(number=numbers, before=words, separators=st.lists(st.sampled_from(["", " ", "-", "."]), min_size=10,
                                                         max_size=10), lower=st.booleans())
def test_any_mangling_of_case_and_separators_keeps_the_number(number, before, separators, lower):
    mangled = "".join(char + separator for char, separator in zip(number, separators))
    text = f"{before} {mangled.lower() if lower else mangled} "
    whole, _ = numbers_named(text)
    assert number in whole


@settings(max_examples=300, deadline=None)
@given(number=numbers, before=words, keep=st.integers(SHORTEST_CUT, 7))
def test_any_cut_of_six_characters_or_more_offers_the_numbers_beginning(number, before, keep):
    whole, beginnings = numbers_named(f"{before} {number[:2 + keep]}")
    assert number[:2 + keep] in beginnings
