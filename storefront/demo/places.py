"""Real places of Quảng Ngãi for the demo catalogue: the 13 former district-level units, today's
communes and wards (names since 1 July 2025), the craft villages and the sales points.

Each former district carries the scene its illustration shows and the landmark it is known for.
"""
from dataclasses import dataclass

from ..areas.models import AreaKind
from ..locator.models import Funding

PROVINCE_NAME = "Quảng Ngãi"


@dataclass(frozen=True)
class Commune:
    name: str
    kind: AreaKind = AreaKind.COMMUNE
    # Hamlets (thôn) or residential groups (tổ dân phố) used in producers' addresses.
    hamlets: tuple[str, ...] = ()


@dataclass(frozen=True)
class District:
    key: str
    name: str
    kind: AreaKind
    communes: tuple[Commune, ...]
    scene: str  # which landscape drawing.py paints for the district
    scene_vi: str
    scene_en: str


def _wards(*names):
    return tuple(Commune(name, AreaKind.WARD) for name in names)


def _communes(*names):
    return tuple(Commune(name) for name in names)


DISTRICTS: tuple[District, ...] = (
    District("quang-ngai", "Quảng Ngãi", AreaKind.CITY,
             _wards("Cẩm Thành", "Nghĩa Lộ", "Trương Quang Trọng") + _communes("Tịnh Khê", "An Phú"),
             "river", "sông Trà Khúc và núi Thiên Ấn", "the Trà Khúc river below Thiên Ấn mountain"),
    District("duc-pho", "Đức Phổ", AreaKind.TOWN,
             _wards("Đức Phổ", "Sa Huỳnh", "Trà Câu") + _communes("Nguyễn Nghiêm", "Khánh Cường"),
             "salt_fields", "ruộng muối Sa Huỳnh bên biển", "the Sa Huỳnh salt fields by the sea"),
    District("ba-to", "Ba Tơ", AreaKind.DISTRICT, _communes("Ba Tơ", "Ba Xa", "Ba Dinh", "Ba Vinh"),
             "mountains", "nhà sàn người Hrê giữa núi rừng Ba Tơ",
             "Hrê stilt houses among the mountains of Ba Tơ"),
    District("binh-son", "Bình Sơn", AreaKind.DISTRICT,
             _communes("Bình Sơn", "Bình Minh", "Bình Chương", "Vạn Tường", "Đông Sơn"),
             "coast", "thuyền đánh cá trên biển Bình Sơn", "fishing boats off the Bình Sơn coast"),
    District("ly-son", "Lý Sơn", AreaKind.DISTRICT,
             (Commune("Lý Sơn", AreaKind.SPECIAL_ZONE,
                      ("Đông An Vĩnh", "Tây An Vĩnh", "Đông An Hải", "Tây An Hải", "Bắc An Hải", "An Bình")),),
             "island", "đảo Lý Sơn với những thửa ruộng tỏi trên cát",
             "Lý Sơn island and its garlic fields on the sand"),
    District("minh-long", "Minh Long", AreaKind.DISTRICT, _communes("Minh Long", "Sơn Mai"),
             "mountains", "núi rừng và suối thác Minh Long", "the forests and streams of Minh Long"),
    District("mo-duc", "Mộ Đức", AreaKind.DISTRICT,
             _communes("Mộ Đức", "Long Phụng", "Mỏ Cày", "Lân Phong"),
             "fields", "đồng lúa Mộ Đức", "the rice fields of Mộ Đức"),
    District("nghia-hanh", "Nghĩa Hành", AreaKind.DISTRICT,
             _communes("Nghĩa Hành", "Đình Cương", "Thiện Tín", "Phước Giang"),
             "fields", "cánh đồng ven sông Vệ ở Nghĩa Hành", "fields along the Vệ river in Nghĩa Hành"),
    District("son-ha", "Sơn Hà", AreaKind.DISTRICT, _communes("Sơn Hà", "Sơn Linh", "Sơn Kỳ"),
             "mountains", "đồi núi Sơn Hà", "the hills of Sơn Hà"),
    District("son-tay", "Sơn Tây", AreaKind.DISTRICT, _communes("Sơn Tây", "Sơn Tây Thượng", "Sơn Tây Hạ"),
             "mountains", "rừng núi Sơn Tây", "the mountain forests of Sơn Tây"),
    District("son-tinh", "Sơn Tịnh", AreaKind.DISTRICT,
             _communes("Sơn Tịnh", "Thọ Phong", "Trường Giang", "Ba Gia"),
             "river", "bờ bắc sông Trà Khúc ở Sơn Tịnh", "the north bank of the Trà Khúc river in Sơn Tịnh"),
    District("tra-bong", "Trà Bồng", AreaKind.DISTRICT,
             _communes("Trà Bồng", "Đông Trà Bồng", "Tây Trà", "Thanh Bồng"),
             "cinnamon_hills", "đồi quế của người Cor ở Trà Bồng", "the Cor people's cinnamon hills in Trà Bồng"),
    District("tu-nghia", "Tư Nghĩa", AreaKind.DISTRICT,
             _communes("Tư Nghĩa", "Vệ Giang", "Nghĩa Giang", "Trà Giang"),
             "fields", "làng quê Tư Nghĩa bên sông Trà Khúc", "Tư Nghĩa villages along the Trà Khúc river"),
)

DISTRICT_TITLES = {AreaKind.CITY: ("thành phố", "city"), AreaKind.TOWN: ("thị xã", "town"),
                   AreaKind.DISTRICT: ("huyện", "district")}
COMMUNE_TITLES = {AreaKind.WARD: "phường", AreaKind.COMMUNE: "xã", AreaKind.SPECIAL_ZONE: "đặc khu"}


@dataclass(frozen=True)
class CraftVillagePlace:
    key: str
    name_vi: str
    name_en: str
    commune: str
    description_vi: str
    description_en: str


CRAFT_VILLAGES: tuple[CraftVillagePlace, ...] = (
    CraftVillagePlace(
        "thi-pho-malt", "Làng nghề mạch nha Thi Phổ", "Thi Phổ malt syrup village", "Long Phụng",
        "Làng Thi Phổ ở Mộ Đức nấu mạch nha từ gạo nếp và mầm lúa qua nhiều thế hệ; mạch nha và kẹo gương "
        "của làng là món quà quen thuộc của người Quảng Ngãi.",
        "For generations the village of Thi Phổ in Mộ Đức has cooked malt syrup from glutinous rice and "
        "sprouted rice; its malt and kẹo gương candy are a classic Quảng Ngãi gift."),
    CraftVillagePlace(
        "my-thien-pottery", "Làng gốm Mỹ Thiện", "Mỹ Thiện pottery village", "Bình Sơn",
        "Làng gốm Mỹ Thiện bên sông Trà Bồng nổi tiếng với gốm men xanh, men vàng nung bằng lò củi.",
        "Mỹ Thiện, on the Trà Bồng river, is known for its green- and yellow-glazed pottery fired in "
        "wood kilns."),
    CraftVillagePlace(
        "ba-to-brocade", "Làng dệt thổ cẩm Hrê Ba Tơ", "Ba Tơ Hrê brocade weaving village", "Ba Tơ",
        "Phụ nữ Hrê ở Ba Tơ dệt thổ cẩm trên khung dệt truyền thống, với hai màu đỏ và đen chủ đạo và hoa "
        "văn kể chuyện núi rừng.",
        "Hrê women in Ba Tơ weave brocade on traditional looms, mostly in red and black, with patterns "
        "that tell of the mountains and forests."),
    CraftVillagePlace(
        "sa-huynh-salt", "Làng nghề muối Sa Huỳnh", "Sa Huỳnh salt-making village", "Sa Huỳnh",
        "Diêm dân Sa Huỳnh làm muối trên những ô ruộng ven đầm bằng nước biển và nắng gió miền Trung.",
        "The salt makers of Sa Huỳnh make salt in fields beside the lagoon from sea water, sun and wind."),
)


@dataclass(frozen=True)
class SalesPointPlace:
    name_vi: str
    name_en: str
    commune: str
    street: str
    latitude: float
    longitude: float
    funding: Funding
    phone: str
    # (first weekday, last weekday (0 = Monday), "HH:MM–HH:MM", …): the week's opening hours.
    hours: tuple = ((0, 6, "07:30–21:00"),)
    hours_note_vi: str = ""
    hours_note_en: str = ""


_STATE, _PRIVATE = Funding.STATE_SUPPORTED, Funding.PRIVATE

SALES_POINTS: tuple[SalesPointPlace, ...] = (
    SalesPointPlace("Điểm giới thiệu và bán sản phẩm OCOP tỉnh Quảng Ngãi",
                    "Quảng Ngãi province OCOP showroom", "Cẩm Thành", "Số 52 đường Hùng Vương",
                    15.1213, 108.7989, _STATE, "0905381246", ((0, 6, "07:30–20:30"),)),
    SalesPointPlace("Điểm giới thiệu và bán sản phẩm OCOP đặc khu Lý Sơn", "Lý Sơn OCOP showroom",
                    "Lý Sơn", "Cảng Lý Sơn, thôn Đông An Vĩnh", 15.3786, 109.1205, _STATE, "0905214368"),
    SalesPointPlace("Điểm giới thiệu và bán sản phẩm OCOP Trà Bồng", "Trà Bồng OCOP showroom",
                    "Trà Bồng", "Tổ dân phố 1", 15.2493, 108.5197, _STATE,
                    "0914562107", ((0, 5, "07:00–11:30", "13:30–17:30"),),
                    "Nghỉ trưa 11:30–13:30.", "Closed for lunch 11:30 am – 1:30 pm."),
    SalesPointPlace("Điểm giới thiệu và bán sản phẩm OCOP Ba Tơ", "Ba Tơ OCOP showroom", "Ba Tơ",
                    "Thôn Trung Tâm", 14.7678, 108.7264, _STATE, "0935118290",
                    ((0, 5, "07:00–11:30", "13:30–17:30"),), "Nghỉ trưa 11:30–13:30.",
                    "Closed for lunch 11:30 am – 1:30 pm."),
    SalesPointPlace("Điểm giới thiệu và bán sản phẩm OCOP Mộ Đức", "Mộ Đức OCOP showroom", "Mộ Đức",
                    "Quốc lộ 1", 14.9612, 108.8853, _STATE, "0962405731"),
    SalesPointPlace("Điểm giới thiệu và bán sản phẩm OCOP Sơn Hà", "Sơn Hà OCOP showroom", "Sơn Hà",
                    "Khu trung tâm", 15.0397, 108.4786, _STATE, "0978330612",
                    ((0, 5, "07:00–17:00"),)),
    SalesPointPlace("Điểm giới thiệu và bán sản phẩm OCOP – Trạm dừng chân Sa Huỳnh",
                    "OCOP shop at the Sa Huỳnh rest stop", "Sa Huỳnh", "Quốc lộ 1",
                    14.6738, 109.0618, _PRIVATE, "0888716245", ((0, 6, "05:30–00:30"),),
                    "Mở đến nửa đêm cho khách đi đường dài.", "Open past midnight for long-distance travellers."),
    SalesPointPlace("Điểm giới thiệu và bán sản phẩm OCOP ven biển Mỹ Khê", "OCOP shop by Mỹ Khê beach",
                    "Tịnh Khê", "Đường ven biển Mỹ Khê", 15.1862, 108.8797, _PRIVATE,
                    "0336902558"),
    SalesPointPlace("Điểm giới thiệu và bán sản phẩm OCOP chợ Quảng Ngãi", "OCOP stall at Quảng Ngãi market",
                    "Nghĩa Lộ", "Số 18 đường Quang Trung", 15.1178, 108.8064, _PRIVATE, "0356447903",
                    ((0, 6, "06:00–18:00"),)),
    SalesPointPlace("Điểm giới thiệu và bán sản phẩm OCOP Trương Quang Trọng",
                    "Trương Quang Trọng OCOP shop", "Trương Quang Trọng", "Số 125 đường Phạm Văn Đồng",
                    15.1427, 108.7898, _PRIVATE, "0794233815"),
    SalesPointPlace("Điểm giới thiệu và bán sản phẩm OCOP Vạn Tường", "Vạn Tường OCOP shop", "Vạn Tường",
                    "Khu dân cư Vạn Tường", 15.3675, 108.8247, _PRIVATE, "0868519024"),
    SalesPointPlace("Điểm giới thiệu và bán sản phẩm OCOP Đức Phổ", "Đức Phổ OCOP shop", "Đức Phổ",
                    "Đường Nguyễn Nghiêm", 14.8108, 108.9584, _PRIVATE, "0817640392"),
    SalesPointPlace("Điểm giới thiệu và bán sản phẩm OCOP Sơn Tịnh", "Sơn Tịnh OCOP shop", "Sơn Tịnh",
                    "Đường Quảng Ngãi – Trà Bồng", 15.1531, 108.7326, _PRIVATE, "0703815266",
                    ((0, 5, "07:00–19:00"), (6, 6, "08:00–12:00"))),
)


# Approximate centres of the communes and wards: where the locator measures from when a visitor types
# the place's name. A former district's centre is the mean of its communes'.
COMMUNE_POSITIONS: dict[str, tuple[float, float]] = {
    "Cẩm Thành": (15.1210, 108.7990), "Nghĩa Lộ": (15.1120, 108.8080), "Trương Quang Trọng": (15.1450, 108.7900),
    "Tịnh Khê": (15.1850, 108.8650), "An Phú": (15.1000, 108.8500),
    "Đức Phổ": (14.8100, 108.9600), "Sa Huỳnh": (14.6700, 109.0600), "Trà Câu": (14.7700, 108.9700),
    "Nguyễn Nghiêm": (14.8400, 108.9300), "Khánh Cường": (14.7100, 109.0200),
    "Ba Tơ": (14.7700, 108.7300), "Ba Xa": (14.7300, 108.6200), "Ba Dinh": (14.8000, 108.7700),
    "Ba Vinh": (14.7200, 108.7800),
    "Bình Sơn": (15.3100, 108.7600), "Bình Minh": (15.2900, 108.7200), "Bình Chương": (15.3000, 108.6900),
    "Vạn Tường": (15.3700, 108.8200), "Đông Sơn": (15.3300, 108.6500),
    "Lý Sơn": (15.3800, 109.1200),
    "Minh Long": (14.9500, 108.7000), "Sơn Mai": (14.9800, 108.6600),
    "Mộ Đức": (14.9600, 108.8800), "Long Phụng": (14.9500, 108.9200), "Mỏ Cày": (14.9000, 108.9000),
    "Lân Phong": (14.9300, 108.8300),
    "Nghĩa Hành": (15.0400, 108.7800), "Đình Cương": (15.0200, 108.7600), "Thiện Tín": (15.0000, 108.8000),
    "Phước Giang": (14.9800, 108.7400),
    "Sơn Hà": (15.0400, 108.4800), "Sơn Linh": (15.0000, 108.5200), "Sơn Kỳ": (15.0800, 108.4300),
    "Sơn Tây": (14.9800, 108.3500), "Sơn Tây Thượng": (15.0300, 108.3000), "Sơn Tây Hạ": (14.9500, 108.3800),
    "Sơn Tịnh": (15.1500, 108.7300), "Thọ Phong": (15.1700, 108.7900), "Trường Giang": (15.2000, 108.7000),
    "Ba Gia": (15.2200, 108.6600),
    "Trà Bồng": (15.2500, 108.5200), "Đông Trà Bồng": (15.2700, 108.5800), "Tây Trà": (15.1500, 108.3800),
    "Thanh Bồng": (15.2200, 108.4900),
    "Tư Nghĩa": (15.0900, 108.7600), "Vệ Giang": (15.0700, 108.8000), "Nghĩa Giang": (15.1000, 108.7300),
    "Trà Giang": (15.0800, 108.7000),
}


@dataclass(frozen=True)
class DestinationPlace:
    """Where an OCOP tourism product (by its line) is visited, and when."""

    line: str
    address_vi: str
    latitude: float
    longitude: float
    hours: tuple  # as SalesPointPlace.hours
    phone: str | None = None  # None: the producer's phone


DESTINATIONS: dict[str, DestinationPlace] = {place.line: place for place in (
    DestinationPlace("quang_ngai_citadel", "Đường Phan Đình Phùng, phường Cẩm Thành, tỉnh Quảng Ngãi",
                     15.1236, 108.8012, ((0, 6, "07:00–17:00"),), "02553822436"),
    DestinationPlace("go_co_village", "Làng Gò Cỏ, phường Sa Huỳnh, tỉnh Quảng Ngãi", 14.6597, 109.0712,
                     ((0, 6, "07:30–17:30"),)),
    DestinationPlace("ly_son_garlic_fields", "Thôn Tây An Vĩnh, đặc khu Lý Sơn, tỉnh Quảng Ngãi",
                     15.3822, 109.1032, ((0, 6, "05:30–10:30", "15:00–18:00"),)),
)}

# The first day of Tết (Lunar New Year) by year: the sales points close around it.
TET: dict[int, tuple[int, int]] = {2025: (1, 29), 2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13),
                                   2030: (2, 3), 2031: (1, 23), 2032: (2, 11), 2033: (1, 31), 2034: (2, 19),
                                   2035: (2, 8)}
