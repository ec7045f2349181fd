"""Vietnam's units since 1 July 2025 as the shop reads them, and names as buyers (and scripts) type them."""
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storefront.addresses.units import (DATA_VERSION, HOME_PROVINCE, Commune, Province, UnitKind, commune_named,
                                        communes_of, province_by_code, province_named, provinces,
                                        provinces_with_commune, vietnamese_order)


def test_the_data_is_the_map_since_1_july_2025():
    assert len(provinces()) == 34
    assert sum(len(communes_of(province)) for province in provinces()) == 3321
    kinds = [unit.kind for province in provinces() for unit in communes_of(province)]
    assert kinds.count(UnitKind.SPECIAL_ZONE) == 13
    assert {p.kind for p in provinces()} == {UnitKind.PROVINCE, UnitKind.CITY}
    assert [p.short_name for p in provinces() if p.kind is UnitKind.CITY] == [
        "Cần Thơ", "Đà Nẵng", "Hà Nội", "Hải Phòng", "Hồ Chí Minh", "Huế"]
    assert DATA_VERSION.startswith("2025-")


def test_quang_ngai_includes_former_kon_tum_and_the_special_zone_of_ly_son():
    assert HOME_PROVINCE == province_named("Quảng Ngãi") and HOME_PROVINCE.code == 51
    names = {unit.name for unit in communes_of(HOME_PROVINCE)}
    assert len(names) == 96
    assert {"Phường Cẩm Thành", "Đặc khu Lý Sơn", "Phường Kon Tum", "Xã Măng Đen", "Xã Trà Bồng"} <= names
    assert province_named("Kon Tum") is None  # merged into Quảng Ngãi: no longer a province
    assert province_named("Bình Dương") is None  # merged into Hồ Chí Minh


def test_names_are_clean_nfc_with_single_spaces():
    for province in provinces():
        for unit in (province, *communes_of(province)):
            assert unicodedata.is_normalized("NFC", unit.name)
            assert unit.name == " ".join(unit.name.split())
            assert unit.name.endswith(unit.short_name)


@pytest.mark.parametrize("text", [
    "Quảng Ngãi", "quang ngai", "QUẢNG NGÃI", "  Quảng   Ngãi  ", "Tỉnh Quảng Ngãi", "tinh quang ngai",
    "quảng ngãi.", "Quang\tNgai", "\u0051\u0075\u0061\u0309\u006e\u0067 Ngãi"])  # the last one decomposed
def test_the_home_province_under_the_ways_people_type_it(text):
    assert province_named(text) == HOME_PROVINCE


@pytest.mark.parametrize("text", ["TP Hồ Chí Minh", "ho chi minh", "TP. HCM", "tp.hcm", "Thành phố Hồ Chí Minh",
                                  "thanh pho ho chi minh", "Sài Gòn", "T.P. Hồ Chí Minh"])
def test_ho_chi_minh_city_with_or_without_its_title(text):
    found = province_named(text)
    assert found.name == "Thành phố Hồ Chí Minh" and found.short_name == "Hồ Chí Minh" and found.code == 79


@pytest.mark.parametrize("text", [
    None, "", "   ", "Tỉnh", "Thành phố", "Kon Tum", "Quảng", "quang ngai\x00", "\x00", "Quảng\x00Ngãi",
    "Quảng Ngãi" * 1000, "x" * 100_000, 51, b"Quang Ngai", ["Quảng Ngãi"], "Quảng Ngãi; DROP TABLE customer_order"])
def test_what_names_no_province(text):
    assert province_named(text) is None


def test_a_province_object_is_its_own_answer():
    assert province_named(HOME_PROVINCE) is HOME_PROVINCE
    assert province_by_code(51) is HOME_PROVINCE and province_by_code(999) is None and province_by_code("51") is None


def test_provinces_are_in_vietnamese_alphabetical_order():
    names = [province.short_name for province in provinces()]
    # Đ after D (none here) and before E; ă/â after a: Cao Bằng before Cần Thơ; tones only break ties.
    assert names[:5] == ["An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Cần Thơ"]
    assert names.index("Đà Nẵng") > names.index("Cần Thơ") and names.index("Đồng Tháp") < names.index("Gia Lai")
    assert names.index("Lạng Sơn") < names.index("Lào Cai") < names.index("Lâm Đồng")
    assert sorted(["Bạc", "Bắc", "Ba", "Bà", "Bác"], key=vietnamese_order) == ["Ba", "Bà", "Bác", "Bạc", "Bắc"]
    assert sorted(["Phường 10", "Phường 2", "Phường 1"], key=vietnamese_order) == ["Phường 1", "Phường 2", "Phường 10"]


def test_communes_are_sorted_by_their_name_not_their_title():
    short = [unit.short_name for unit in communes_of("Quảng Ngãi")]
    assert short == sorted(short, key=vietnamese_order)
    assert short.index("Cẩm Thành") < short.index("Đặc khu Lý Sơn".removeprefix("Đặc khu ")) < short.index("Trà Bồng")


@pytest.mark.parametrize("text", ["Phường Cẩm Thành", "cam thanh", "CẨM THÀNH", "  phuong   cam thanh ",
                                  "P. Cẩm Thành", "p cam thanh", "Cẩm Thành", "phường cẩm-thành"])
def test_a_ward_with_or_without_its_title_and_tone_marks(text):
    assert commune_named(HOME_PROVINCE, text).name == "Phường Cẩm Thành"


@pytest.mark.parametrize("text", ["ly son", "Lý Sơn", "Đặc khu Lý Sơn", "dac khu ly son", "ĐẶC KHU LÝ SƠN"])
def test_the_special_zone_of_ly_son(text):
    found = commune_named("quang ngai", text)
    assert found.name == "Đặc khu Lý Sơn" and found.kind is UnitKind.SPECIAL_ZONE


def test_names_that_differ_only_by_tone_marks_need_them():
    # Quảng Ngãi has both Xã Sơn Hà and Xã Sơn Hạ, Xã Ba Tô and Xã Ba Tơ: without tone marks, neither.
    assert commune_named(HOME_PROVINCE, "Sơn Hà").name == "Xã Sơn Hà"
    assert commune_named(HOME_PROVINCE, "xã sơn hạ").name == "Xã Sơn Hạ"
    assert commune_named(HOME_PROVINCE, "son ha") is None
    assert commune_named(HOME_PROVINCE, "Ba Tơ").name == "Xã Ba Tơ"
    assert commune_named(HOME_PROVINCE, "ba to") is None


def test_a_title_settles_a_tie_between_a_ward_and_a_commune_of_one_folded_name():
    # Đồng Tháp has the ward Mỹ Tho and the commune Mỹ Thọ: without tone marks only the title tells them apart.
    dong_thap = province_named("dong thap")
    assert commune_named(dong_thap, "my tho") is None
    assert commune_named(dong_thap, "phuong my tho").name == "Phường Mỹ Tho"
    assert commune_named(dong_thap, "xa my tho").name == "Xã Mỹ Thọ"
    assert commune_named(dong_thap, "Mỹ Thọ").name == "Xã Mỹ Thọ"
    # A wrong title does not hide the one unit of that name.
    assert commune_named(HOME_PROVINCE, "Xã Cẩm Thành").name == "Phường Cẩm Thành"


def test_every_unit_is_found_by_its_official_name_in_its_province_only():
    for province in provinces():
        for unit in communes_of(province):
            assert commune_named(province, unit.name) == unit
            assert unit.province_code == province.code


@pytest.mark.parametrize("text", [
    None, "", "  ", "Phường", "Xã", "Phường Cẩm Thành\x00", "Cẩm\x00Thành", "Cẩm Thành" * 500, "y" * 100_000,
    "Phường Hoàn Kiếm", "Phường Kon Tum Kon Tum", 21025])
def test_what_names_no_commune_of_quang_ngai(text):
    assert commune_named(HOME_PROVINCE, text) is None


def test_a_commune_of_another_province_is_not_found_and_its_province_is_told():
    assert commune_named("Quảng Ngãi", "Phường Hoàn Kiếm") is None
    assert commune_named("Hà Nội", "Phường Hoàn Kiếm").name == "Phường Hoàn Kiếm"
    assert [p.short_name for p in provinces_with_commune("hoan kiem")] == ["Hà Nội"]
    assert provinces_with_commune("nowhere at all") == []
    hoan_kiem = commune_named("Hà Nội", "Hoàn Kiếm")
    assert commune_named(HOME_PROVINCE, hoan_kiem) is None


def test_an_unknown_province_has_no_communes():
    assert communes_of("Kon Tum") == () and communes_of(None) == () and communes_of("x" * 10_000) == ()
    assert commune_named("Kon Tum", "Phường Kon Tum") is None
    assert commune_named(None, "Phường Cẩm Thành") is None


def test_units_are_values_that_print_as_their_name():
    unit = commune_named(HOME_PROVINCE, "Cẩm Thành")
    assert isinstance(unit, Commune) and isinstance(HOME_PROVINCE, Province)
    assert str(unit) == "Phường Cẩm Thành" and str(province_named("hcm")) == "Thành phố Hồ Chí Minh"
    with pytest.raises(AttributeError):
        unit.name = "Phường Khác"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_province_or_none_and_never_fails(text):
    found = province_named(text)
    assert found is None or found in provinces()
    unit = commune_named(HOME_PROVINCE, text)
    assert unit is None or unit in communes_of(HOME_PROVINCE)
