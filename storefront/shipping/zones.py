"""The delivery zone of an address: the one rule the fee and the delivery time follow.

Four zones, from the shop's province outwards:
- HOME: Quảng Ngãi as it stands since 1 July 2025 (the former Kon Tum province included).
- NEIGHBOUR: the provinces that share a land border with it since 2025, reached by road in a day.
  Quảng Ngãi borders Đà Nẵng to the north (merged with Quảng Nam, the old province's northern neighbour)
  and Gia Lai to the south and west (merged with Bình Định, the old southern neighbour; the former
  Kon Tum bordered the old Gia Lai). Its other borders are Laos and Cambodia. Đắk Lắk (merged with
  Phú Yên) and Huế touch neither the old Quảng Ngãi nor the old Kon Tum, so they are not neighbours.
- COUNTRY: every other province.
- ISLAND: communes and special zones off the coast, reached by boat whatever province they belong to
  (a parcel for Lý Sơn leaves from Sa Kỳ port and waits for the weather): they take precedence over
  their province's zone. Every name is checked against the 2025 data (tests/shipping).
"""
import enum

from flask_babel import lazy_gettext as _l

from ..addresses.units import HOME_PROVINCE, commune_named, communes_of, province_named


class Zone(enum.StrEnum):
    HOME = "home"
    NEIGHBOUR = "neighbour"
    COUNTRY = "country"
    ISLAND = "island"


ZONE_NAMES = {
    Zone.HOME: _l("within Quảng Ngãi"),
    Zone.NEIGHBOUR: _l("neighbouring province"),
    Zone.COUNTRY: _l("rest of Vietnam"),
    Zone.ISLAND: _l("island"),
}

# Where each zone is, as the shipping policy says it.
ZONE_AREAS = {
    Zone.HOME: _l("Quảng Ngãi province, the former Kon Tum included"),
    Zone.NEIGHBOUR: _l("Đà Nẵng and Gia Lai"),
    Zone.COUNTRY: _l("every other province and city"),
    Zone.ISLAND: _l("island communes and special zones: Lý Sơn, Côn Đảo, Phú Quốc, Phú Quý, Cô Tô, Vân Đồn, "
                    "Cát Hải, Bạch Long Vĩ, Cồn Cỏ, Kiên Hải, Thổ Châu, Trường Sa, Hoàng Sa and others"),
}

# By the codenames of the `vietnam-provinces` data (stable, unlike a name's spelling).
NEIGHBOURS = frozenset({"da_nang", "gia_lai"})

# (province, commune) codenames. The 2025 special zones (đặc khu) that are islands, and the island
# communes that kept their own unit. Not listed: Long Sơn (Hồ Chí Minh) and the river islands
# (Cù Lao Giêng, Cù Lao Dung), which are reached by bridge or ferry within a day like the mainland.
ISLANDS = frozenset({
    ("quang_ngai", "dac_khu_ly_son"),
    ("quang_ninh", "dac_khu_van_don"),
    ("quang_ninh", "dac_khu_co_to"),
    ("quang_ninh", "xa_cai_chien"),
    ("hai_phong", "dac_khu_cat_hai"),
    ("hai_phong", "dac_khu_bach_long_vi"),
    ("quang_tri", "dac_khu_con_co"),
    ("da_nang", "dac_khu_hoang_sa"),
    ("da_nang", "xa_tan_hiep"),          # Cù Lao Chàm
    ("gia_lai", "xa_nhon_chau"),          # Cù Lao Xanh
    ("khanh_hoa", "dac_khu_truong_sa"),
    ("lam_dong", "dac_khu_phu_quy"),
    ("ho_chi_minh", "dac_khu_con_dao"),
    ("ho_chi_minh", "xa_thanh_an"),       # Thiềng Liềng, Cần Giờ
    ("an_giang", "dac_khu_phu_quoc"),
    ("an_giang", "dac_khu_tho_chau"),
    ("an_giang", "dac_khu_kien_hai"),
    ("an_giang", "xa_tien_hai"),
    ("an_giang", "xa_son_hai"),
    ("an_giang", "xa_hon_nghe"),
})


def zone_for(province, commune=None) -> Zone | None:
    """The zone of a province (and, when known, its commune) of the 2025 data; None for no province."""
    if province is None:
        return None
    if commune is not None and (province.codename, commune.codename) in ISLANDS:
        return Zone.ISLAND
    if province.codename == HOME_PROVINCE.codename:
        return Zone.HOME
    if province.codename in NEIGHBOURS:
        return Zone.NEIGHBOUR
    return Zone.COUNTRY


def zone_of(province_text: str | None, commune_text: str | None = None) -> Zone | None:
    """The zone of an address as typed or chosen; None when the province is not one of Vietnam's."""
    province = province_named(province_text)
    return zone_for(province, commune_named(province, commune_text))


def islands_of(province) -> list:
    """The island communes of a province (the 2025 data's units), for a line such as "Lý Sơn: …"."""
    if province is None:
        return []
    wanted = {commune for owner, commune in ISLANDS if owner == province.codename}
    return [commune for commune in communes_of(province) if commune.codename in wanted]
