"""A certificate number matches however a buyer types it: case, surrounding and inner spaces, Unicode forms
and every kind of dash. One normalisation (certificate_key) stores the key and looks it up, and the rule
"unique per authority" compares the same keys."""
import importlib.util
import sys
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storefront.certification.models import Certificate, CertificationLevel
from storefront.certification.numbers import CODE_ALPHABET, DASHES, certificate_key, clean_text, normalized_code
from storefront.certification.operations import CertificateRefused, Decision, issue_certificate
from storefront.certification.queries import find_for_verification
from storefront.clock import today
from storefront.extensions import db
from storefront.i18n import set_lang

# Deterministic and free of timing: a property test must never fail for the machine's speed.
PROPERTIES = settings(max_examples=400, deadline=None, database=None, derandomize=True,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

ALL_DASHES = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Pd"] + ["\u2212"]
SPACES = [" ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\u200b", "\ufeff", "\u00ad", "\u2060"]
NUMBERS = st.text(alphabet=st.sampled_from("0123456789/ABCDEFGHIKLMNOPQRSTUVXYĐƠƯÂÊÔăâđêôơư.-_"), min_size=1,
                  max_size=30)


def variants(draw, number: str) -> str:
    """`number` as someone might type it: any case, decomposed, other dashes, spaces around and inside."""
    typed = "".join(ch.upper() if draw(st.booleans()) else ch.lower() for ch in number)
    typed = unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"])), typed)
    typed = "".join(draw(st.sampled_from(ALL_DASHES)) if ch == "-" else ch for ch in typed)
    inner = "".join(ch + (draw(st.sampled_from(SPACES)) if draw(st.integers(0, 4)) == 0 else "") for ch in typed)
    around = draw(st.text(alphabet=st.sampled_from(SPACES), max_size=3))
    return around + inner + around


@st.composite
def number_and_variant(draw):
    number = draw(NUMBERS)
    return number, variants(draw, number)


def test_every_unicode_dash_is_listed():
    assert set(ALL_DASHES) <= set(DASHES)
    assert all(certificate_key(f"12{dash}2026") == "12-2026" for dash in ALL_DASHES)


@PROPERTIES
@given(number_and_variant())
@example(("091/2026/OCOP", " 091/2026/ocop "))
@example(("12-2024/QĐ-OCOP", "12\u20132024/q\u0110\u2011ocop"))
@example(("Số 5/QĐ", unicodedata.normalize("NFD", "số 5 / qđ")))
def test_a_number_and_its_typed_variants_have_one_key(pair):
    number, typed = pair
    assert certificate_key(typed) == certificate_key(number)


@PROPERTIES
@given(st.one_of(st.text(),
                 st.tuples(st.text(min_size=1, max_size=40), st.integers(250, 10_000))
                 .map(lambda pair: (pair[0] * pair[1])[:10_000]),  # up to 10,000 characters
                 st.binary(max_size=300).map(lambda raw: raw.decode("utf-8", "surrogateescape"))))
@example("\x00")
@example("\x00" * 10_000)
@example("\ud800-\udfff")
@example("\u0308" * 50)
@example("\ufdfa")  # NFKC spells this ligature out in 18 letters
@example("\u01f0")  # case folding decomposes it; NFKC composes it again
def test_the_normaliser_always_gives_a_clean_answer(text):
    key = certificate_key(text)
    assert isinstance(key, str)
    assert certificate_key(key) == key  # stable: a stored key looks itself up
    assert not any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in key)
    assert not set(key) & (set(DASHES) - {"-"})
    assert key == unicodedata.normalize("NFKC", key)
    cleaned = clean_text(text)
    assert cleaned == cleaned.strip() and "  " not in cleaned
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in cleaned)
    code = normalized_code(text)
    assert code is None or (len(code) == 10 and set(code) <= set(CODE_ALPHABET))


def test_numbers_that_differ_in_more_than_form_keep_different_keys():
    assert certificate_key("012/2026/OCOP") != certificate_key("013/2026/OCOP")
    assert certificate_key("12/2026") != certificate_key("12-2026")  # a slash is not a dash
    assert certificate_key("Đ-1") != certificate_key("D-1")  # đ is a letter of its own


@pytest.fixture
def certified(make_producer, make_product, make_certificate):
    product = make_product(stars=None, producer=make_producer(name="HTX Tỏi Lý Sơn"), name_vi="Tỏi cô đơn",
                           name_en="Single-clove garlic")
    certificate = make_certificate(product, stars=4, decision_date=today() - timedelta(days=100))
    certificate.number = "091/2026/OCOP-QN"
    db.session.commit()
    return certificate


@pytest.mark.parametrize("typed", [
    "091/2026/ocop-qn", "%20091/2026/OCOP-QN%20", "091%20/%202026%20/%20OCOP%20-%20QN", "091/2026/Ocop%E2%80%93qn",
    "091/2026/OCOP%E2%80%94QN", "091/2026/OCOP%E2%88%92QN", "%EF%BC%90%EF%BC%99%EF%BC%91/2026/OCOP-QN",
    "091/2026/OCOP-%C2%ADQN", "091/2026/OCOP-QN%E2%80%8B"])
@pytest.mark.parametrize("lang", ["", "/en"])
def test_the_verification_page_finds_a_number_however_it_is_typed(client, certified, typed, lang):
    response = client.get(f"{lang}/verify/{typed}")
    assert response.status_code == 200, typed
    body = response.get_data(as_text=True)
    assert ("Genuine and valid today" if lang else "Chính hãng và còn hiệu lực hôm nay") in body
    assert "091/2026/OCOP-QN" in body  # shown as the authority wrote it


def test_the_form_sends_a_lower_case_number_with_spaces_to_its_certificate(client, certified):
    response = client.get("/en/verify?q=%20%20091/2026/ocop-qn%09")
    assert response.status_code == 302
    assert "Genuine and valid today" in client.get(response.location).get_data(as_text=True)


def test_a_decomposed_vietnamese_number_is_found(make_product, make_certificate):
    certificate = make_certificate(make_product(stars=None))
    certificate.number = "Số 15/QĐ-OCOP"
    db.session.flush()
    assert find_for_verification(unicodedata.normalize("NFD", "  SỐ 15/qđ–ocop ")) == [certificate]
    assert find_for_verification("Số 16/QĐ-OCOP") == []
    assert find_for_verification("\x00" * 10_000) == [] and find_for_verification("") == []


def test_the_verification_code_is_read_with_any_dash_or_space(client, certified):
    code = certified.verification_code
    for typed in (f"{code[:5]}\u2013{code[5:]}".lower(), f" {code[:5]} {code[5:]} ", f"{code[:5]}\u2011{code[5:]}"):
        assert "Genuine and valid today" in client.get(f"/en/verify/{typed}").get_data(as_text=True), typed


@pytest.fixture
def in_english():
    set_lang("en")
    yield
    set_lang("vi")


def decision(number, stars=3, score=60, authority="UBND tỉnh Quảng Ngãi", level=CertificationLevel.PROVINCE):
    return Decision(number=number, stars=stars, score=score, decision_number="1/QĐ-UBND",
                    decision_date=date(2026, 3, 1), authority=authority, level=level)


@pytest.mark.parametrize("second", ["ocop-012/2026", " OCOP - 012 / 2026 ", "OCOP\u2013012/2026",
                                    "OCOP\u2212012/2026", unicodedata.normalize("NFD", "OCOP-012/2026")])
def test_two_numbers_that_differ_only_by_form_cannot_both_be_issued(travel_to, in_english, make_product, second):
    travel_to(date(2026, 3, 10))
    issue_certificate(make_product(stars=None), decision("OCOP-012/2026"))
    with pytest.raises(CertificateRefused, match="already issued a certificate numbered"):
        issue_certificate(make_product(stars=None), decision(second))
    other = issue_certificate(make_product(stars=None), decision(second, stars=5, score=95,
                                                                 authority="Bộ Nông nghiệp và Môi trường",
                                                                 level=CertificationLevel.CENTRAL))
    assert other.number_key == certificate_key("OCOP-012/2026")


def test_the_database_holds_the_same_uniqueness_rule(make_product, make_certificate):
    first = make_certificate(make_product(stars=None))
    first.number = "OCOP-77/2026"
    db.session.flush()
    second = make_certificate(make_product(stars=None))
    with pytest.raises(IntegrityError):
        second.number = "ocop\u201477 / 2026"
        db.session.flush()
    db.session.rollback()


def test_a_number_of_invisible_characters_is_refused(travel_to, in_english, make_product):
    travel_to(date(2026, 3, 10))
    product = make_product(stars=None)
    for number in ("\u200b\u200b", "\x00", "\u00ad"):
        with pytest.raises(CertificateRefused, match="certificate number is missing"):
            issue_certificate(product, decision(number))
    assert db.session.scalars(select(Certificate).where(Certificate.product_id == product.id)).all() == []


def test_the_migration_fills_the_keys_with_the_same_normalisation():
    """The migration keeps its own copy (a migration never changes with the code): it must agree."""
    path = next((Path(__file__).resolve().parents[2] / "migrations" / "versions").glob(
        "*certificate_number_keys_and_level_rules.py"))
    spec = importlib.util.spec_from_file_location("number_keys_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    for text in ["091/2026/ocop", " OCOP\u2013012 / 2026 ", "\u01f0", "\ufdfa", "Số 5/QĐ", "\x00\u200b", "ＡＢ－１"]:
        assert migration.certificate_key(text) == certificate_key(text), text
    assert migration.DASHES == DASHES
