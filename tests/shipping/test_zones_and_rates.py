"""The delivery zone of an address, and the delivery settings checked when the shop starts."""
from datetime import date

import pytest
from vietnam_provinces import Province, Ward

from storefront import create_app
from storefront.addresses.units import HOME_PROVINCE, commune_named, province_named
from storefront.config import TestConfig
from storefront.shipping.queries import quote, quote_for_address, window_text
from storefront.shipping.rates import DEFAULT_ZONES, ShippingSettingError, load_rates
from storefront.shipping.zones import ISLANDS, NEIGHBOURS, Zone, zone_of


@pytest.mark.parametrize("province, commune, zone", [
    ("Quảng Ngãi", "Phường Cẩm Thành", Zone.HOME),
    ("Quảng Ngãi", "Xã Đăk Tô", Zone.HOME),               # the former Kon Tum is Quảng Ngãi since 1 July 2025
    ("Quảng Ngãi", "Đặc khu Lý Sơn", Zone.ISLAND),
    ("Quảng Ngãi", "ly son", Zone.ISLAND),
    ("Quảng Ngãi", "", Zone.HOME),                        # no commune yet: the province's zone
    ("Quảng Ngãi", "Hội An", Zone.HOME),                  # a commune of another province: the province's zone
    ("Đà Nẵng", "Phường Hải Châu", Zone.NEIGHBOUR),
    ("Thành phố Đà Nẵng", "Xã Tân Hiệp", Zone.ISLAND),    # Cù Lao Chàm
    ("Gia Lai", "Phường Quy Nhơn", Zone.NEIGHBOUR),       # the former Bình Định
    ("Gia Lai", "Xã Nhơn Châu", Zone.ISLAND),             # Cù Lao Xanh
    ("Đắk Lắk", None, Zone.COUNTRY),                      # no shared border since 2025
    ("Huế", None, Zone.COUNTRY),
    ("Hà Nội", "Phường Hoàn Kiếm", Zone.COUNTRY),
    ("TP. Hồ Chí Minh", "Đặc khu Côn Đảo", Zone.ISLAND),
    ("an giang", "dac khu phu quoc", Zone.ISLAND),
    ("Lâm Đồng", "Đặc khu Phú Quý", Zone.ISLAND),
    ("Quảng Ninh", "Đặc khu Cô Tô", Zone.ISLAND),
    ("Hải Phòng", "Đặc khu Bạch Long Vĩ", Zone.ISLAND),
    ("Khánh Hòa", "Đặc khu Trường Sa", Zone.ISLAND),
])
def test_each_address_falls_in_its_zone(province, commune, zone):
    assert zone_of(province, commune) is zone


@pytest.mark.parametrize("typed", ["quảng ngãi", "QUANG NGAI", "  Quang   Ngai ", "Tỉnh Quảng Ngãi", "tinh quang ngai",
                                   "Qua\u0309ng Nga\u0303i"])  # decomposed tone marks
def test_accents_case_spaces_and_prefixes_do_not_matter(typed):
    assert province_named(typed) == HOME_PROVINCE
    assert zone_of(typed) is Zone.HOME


@pytest.mark.parametrize("typed", ["tp ho chi minh", "TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "ho chi minh"])
def test_a_city_is_found_with_or_without_its_prefix(typed):
    assert province_named(typed).codename == "ho_chi_minh"


@pytest.mark.parametrize("typed", ["", "   ", None, "Atlantis", "Kon Tum", "Bình Định", "Quảng Nam", "x" * 500,
                                   "Quảng Ngãi\x00", 42])
def test_an_unknown_province_has_no_zone_and_no_quote(app, typed):
    assert zone_of(typed, "Đặc khu Lý Sơn") is None
    assert quote_for_address(typed, None, 100_000) is None


def test_every_island_and_neighbour_is_a_unit_of_the_2025_data():
    provinces = {p.codename: p for p in Province.iter_all()}
    assert len(provinces) == 34 and NEIGHBOURS <= set(provinces)
    for province_codename, commune_codename in ISLANDS:
        wards = {w.codename for w in Ward.iter_by_province(provinces[province_codename].code)}
        assert commune_codename in wards, (province_codename, commune_codename)
    # Every special zone of the 2025 reform is an island, and is listed.
    special = {(provinces_by_code(w.province_code), w.codename) for w in Ward.iter_all()
               if w.codename.startswith("dac_khu_")}
    assert len(special) == 13 and special <= ISLANDS


def provinces_by_code(code):
    return Province.from_code(code).codename


def test_the_commune_is_looked_up_within_its_province():
    qn = province_named("Quảng Ngãi")
    assert commune_named(qn, "Xã Đăk Tô").name == "Xã Đăk Tô"  # the former Kon Tum
    assert commune_named(province_named("Gia Lai"), "phuong quy nhon").name == "Phường Quy Nhơn"
    assert commune_named(qn, "đặc khu lý sơn").codename == "dac_khu_ly_son"
    assert commune_named(qn, "Phường Hải Châu") is None
    assert commune_named(None, "Lý Sơn") is None


def test_the_defaults_are_the_shops_published_rates(app):
    assert [(q.fee, q.min_days, q.max_days) for q in map(quote, Zone)] == [
        (20_000, 1, 2), (30_000, 2, 3), (40_000, 3, 5), (60_000, 5, 8)]


def test_the_free_delivery_threshold_covers_the_mainland_but_not_the_islands(app):
    assert app.config["FREE_SHIPPING_FROM"] == "500000"
    assert quote(Zone.COUNTRY, 499_999).fee == 40_000
    assert quote(Zone.COUNTRY, 500_000).fee == 0 and quote(Zone.COUNTRY, 500_000).zone_fee == 40_000
    assert quote(Zone.HOME, 900_000).fee == 0
    assert quote(Zone.ISLAND, 5_000_000).fee == 60_000


def test_a_delivery_window_counts_calendar_days_from_the_order_date(app):
    earliest, latest = quote(Zone.NEIGHBOUR).window(date(2025, 12, 10))
    assert (earliest, latest) == (date(2025, 12, 12), date(2025, 12, 13))
    assert window_text(date(2025, 12, 12), date(2025, 12, 14)) == "12–14/12"
    assert window_text(date(2025, 11, 29), date(2025, 12, 2)) == "29/11–2/12"
    assert window_text(date(2025, 12, 30), date(2026, 1, 2)) == "30/12/2025–2/1/2026"
    assert window_text(date(2025, 12, 12), date(2025, 12, 12)) == "12/12"


def test_a_partial_setting_changes_only_what_it_names():
    rates = load_rates({"SHIPPING_ZONES": '{"island": {"fee": 80000, "days": [6, 10]}}',
                        "FREE_SHIPPING_FROM": "0"})
    assert rates.zones[Zone.ISLAND].fee == 80_000 and rates.zones[Zone.ISLAND].max_days == 10
    assert rates.zones[Zone.HOME].fee == DEFAULT_ZONES["home"]["fee"]
    assert rates.free_from is None  # 0: delivery is never free
    rates = load_rates({"SHIPPING_ZONES": {"island": {"free_over_threshold": True}}, "FREE_SHIPPING_FROM": 300_000})
    assert rates.zones[Zone.ISLAND].free_over_threshold and rates.free_from == 300_000


@pytest.mark.parametrize("setting, named", [
    ('{"island": {"fee": "60k"}}', "fee"),
    ('{"island": {"fee": -1}}', "fee"),
    ('{"island": {"fee": 1e9}}', "fee"),
    ('{"home": {"fee": true}}', "fee"),
    ('{"home": {"fee": 99999999999}}', "fee"),
    ('{"home": {"days": [3, 1]}}', "days"),
    ('{"home": {"days": [1]}}', "days"),
    ('{"home": {"days": [1, 365]}}', "days"),
    ('{"home": {"days": "1-2"}}', "days"),
    ('{"home": {"free_over_threshold": "no"}}', "free_over_threshold"),
    ('{"home": {"price": 1}}', "unknown keys"),
    ('{"moon": {"fee": 1}}', "unknown zones"),
    ('{"home": 20000}', "must be an object"),
    ('[1, 2]', "JSON object"),
    ('{"home": ', "not valid JSON"),
])
def test_a_bad_setting_stops_the_shop_with_a_message_naming_it(setting, named):
    with pytest.raises(ShippingSettingError, match=named):
        load_rates({"SHIPPING_ZONES": setting, "FREE_SHIPPING_FROM": "500000"})
    with pytest.raises(ShippingSettingError, match="SHIPPING_ZONES"):
        create_app(type("Config", (TestConfig,), {"SHIPPING_ZONES": setting}))


@pytest.mark.parametrize("threshold", ["abc", "-5", "1.5", "", None, True])
def test_a_bad_free_delivery_threshold_stops_the_shop(threshold):
    with pytest.raises(ShippingSettingError, match="FREE_SHIPPING_FROM"):
        load_rates({"FREE_SHIPPING_FROM": threshold})


def test_the_old_single_fee_setting_is_refused_rather_than_ignored(monkeypatch):
    monkeypatch.setenv("SHIPPING_FEE", "30000")
    with pytest.raises(ShippingSettingError, match="SHIPPING_FEE"):
        load_rates({"FREE_SHIPPING_FROM": "500000"})
