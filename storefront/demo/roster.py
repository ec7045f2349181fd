"""Who makes what, where: the demo producers by commune and trade, and the certification story.

The roster is sized to give exactly the province's figures (DOMAIN.md): 120 producers with a certified
product (19 enterprises, 34 cooperatives, 67 households) and 191 certified products (17 of them 4★).
builder.py checks every total when it builds the catalogue.
"""
from dataclasses import dataclass

from ..catalog.models import ProducerType

ENTERPRISE, COOPERATIVE, HOUSEHOLD = ProducerType.ENTERPRISE, ProducerType.COOPERATIVE, ProducerType.HOUSEHOLD


@dataclass(frozen=True)
class RosterRow:
    commune: str
    trade: str
    type: ProducerType
    producers: int
    products_each: int


R = RosterRow
ROSTER: tuple[RosterRow, ...] = (
    # Lý Sơn
    R("Lý Sơn", "garlic", ENTERPRISE, 3, 3),
    R("Lý Sơn", "island_sea", ENTERPRISE, 1, 1),
    R("Lý Sơn", "garlic", COOPERATIVE, 2, 2),
    R("Lý Sơn", "shallot", COOPERATIVE, 2, 2),
    R("Lý Sơn", "garlic_fields", COOPERATIVE, 1, 2),
    R("Lý Sơn", "garlic", HOUSEHOLD, 2, 2),
    R("Lý Sơn", "garlic", HOUSEHOLD, 6, 1),
    R("Lý Sơn", "shallot", HOUSEHOLD, 3, 1),
    # Trà Bồng
    R("Trà Bồng", "cinnamon", ENTERPRISE, 1, 3),
    R("Đông Trà Bồng", "cinnamon", ENTERPRISE, 1, 3),
    R("Trà Bồng", "cinnamon", COOPERATIVE, 1, 2),
    R("Đông Trà Bồng", "cinnamon", COOPERATIVE, 1, 2),
    R("Tây Trà", "cinnamon", COOPERATIVE, 1, 2),
    R("Thanh Bồng", "mountain_herbs", COOPERATIVE, 1, 2),
    R("Tây Trà", "cinnamon", HOUSEHOLD, 1, 2),
    R("Trà Bồng", "cinnamon", HOUSEHOLD, 2, 1),
    R("Thanh Bồng", "cinnamon", HOUSEHOLD, 2, 1),
    # Mộ Đức
    R("Long Phụng", "malt", ENTERPRISE, 1, 3),
    R("Long Phụng", "malt", COOPERATIVE, 2, 2),
    R("Long Phụng", "lingzhi", COOPERATIVE, 1, 2),
    R("Mộ Đức", "lingzhi", COOPERATIVE, 1, 2),
    R("Mỏ Cày", "rice", COOPERATIVE, 1, 2),
    R("Long Phụng", "malt", HOUSEHOLD, 2, 2),
    R("Long Phụng", "malt", HOUSEHOLD, 2, 1),
    R("Mộ Đức", "malt", HOUSEHOLD, 2, 1),
    R("Lân Phong", "rice_paper", HOUSEHOLD, 2, 1),
    # Đức Phổ
    R("Sa Huỳnh", "fish_sauce", ENTERPRISE, 1, 3),
    R("Khánh Cường", "fish_sauce", ENTERPRISE, 1, 3),
    R("Sa Huỳnh", "salt", ENTERPRISE, 1, 3),
    R("Sa Huỳnh", "salt", COOPERATIVE, 2, 2),
    R("Sa Huỳnh", "go_co", COOPERATIVE, 1, 2),
    R("Khánh Cường", "fish_sauce", COOPERATIVE, 1, 2),
    R("Sa Huỳnh", "salt", HOUSEHOLD, 3, 1),
    R("Trà Câu", "fish_sauce", HOUSEHOLD, 2, 1),
    R("Nguyễn Nghiêm", "fish_sauce", HOUSEHOLD, 1, 1),
    R("Sa Huỳnh", "dried_seafood", HOUSEHOLD, 2, 1),
    # Bình Sơn
    R("Đông Sơn", "fish_sauce", ENTERPRISE, 1, 3),
    R("Vạn Tường", "dried_seafood", ENTERPRISE, 1, 2),
    R("Đông Sơn", "fish_sauce", COOPERATIVE, 1, 2),
    R("Bình Sơn", "pottery", COOPERATIVE, 1, 2),
    R("Vạn Tường", "dried_seafood", COOPERATIVE, 1, 2),
    R("Bình Sơn", "pottery", HOUSEHOLD, 3, 1),
    R("Đông Sơn", "fish_sauce", HOUSEHOLD, 2, 1),
    R("Vạn Tường", "dried_seafood", HOUSEHOLD, 2, 1),
    # Quảng Ngãi city
    R("Cẩm Thành", "dried_beef", ENTERPRISE, 1, 3),
    R("Cẩm Thành", "citadel", ENTERPRISE, 1, 1),
    R("Trương Quang Trọng", "sugar", ENTERPRISE, 1, 2),
    R("An Phú", "flowers", COOPERATIVE, 2, 2),
    R("Tịnh Khê", "river_fish", COOPERATIVE, 1, 2),
    R("Nghĩa Lộ", "sugar", HOUSEHOLD, 2, 1),
    R("Nghĩa Lộ", "dried_beef", HOUSEHOLD, 1, 2),
    R("Trương Quang Trọng", "dried_beef", HOUSEHOLD, 1, 1),
    R("An Phú", "flowers", HOUSEHOLD, 2, 1),
    # Sơn Tịnh
    R("Thọ Phong", "lingzhi", ENTERPRISE, 1, 3),
    R("Sơn Tịnh", "rice_paper", ENTERPRISE, 1, 2),
    R("Thọ Phong", "lingzhi", COOPERATIVE, 1, 2),
    R("Trường Giang", "rice_paper", COOPERATIVE, 1, 2),
    R("Sơn Tịnh", "river_fish", HOUSEHOLD, 2, 1),
    R("Ba Gia", "rice_paper", HOUSEHOLD, 2, 1),
    # Tư Nghĩa
    R("Vệ Giang", "river_fish", ENTERPRISE, 1, 2),
    R("Vệ Giang", "rice_paper", COOPERATIVE, 1, 2),
    R("Nghĩa Giang", "sugar", COOPERATIVE, 1, 2),
    R("Tư Nghĩa", "river_fish", HOUSEHOLD, 2, 1),
    R("Nghĩa Giang", "sugar", HOUSEHOLD, 1, 1),
    R("Trà Giang", "flowers", HOUSEHOLD, 1, 1),
    # Nghĩa Hành
    R("Nghĩa Hành", "dried_beef", ENTERPRISE, 1, 2),
    R("Đình Cương", "rice", COOPERATIVE, 1, 2),
    R("Thiện Tín", "rice", HOUSEHOLD, 2, 1),
    R("Phước Giang", "dried_beef", HOUSEHOLD, 1, 1),
    # Ba Tơ
    R("Ba Tơ", "brocade", COOPERATIVE, 1, 2),
    R("Ba Vinh", "brocade", COOPERATIVE, 1, 2),
    R("Ba Tơ", "brocade", HOUSEHOLD, 2, 2),
    R("Ba Tơ", "brocade", HOUSEHOLD, 3, 1),
    R("Ba Dinh", "jar_wine", HOUSEHOLD, 1, 1),
    # Minh Long
    R("Minh Long", "honey", COOPERATIVE, 1, 2),
    R("Sơn Mai", "jar_wine", HOUSEHOLD, 1, 1),
    R("Minh Long", "honey", HOUSEHOLD, 1, 1),
    # Sơn Hà
    R("Sơn Hà", "mountain_herbs", COOPERATIVE, 1, 2),
    R("Sơn Linh", "honey", HOUSEHOLD, 1, 1),
    R("Sơn Kỳ", "basketry", HOUSEHOLD, 1, 1),
    # Sơn Tây
    R("Sơn Tây", "mountain_herbs", COOPERATIVE, 1, 2),
    R("Sơn Tây Thượng", "mountain_herbs", HOUSEHOLD, 1, 1),
)

# The province's figures the roster must give (DOMAIN.md, provincial report of late 2024).
EXPECTED_PRODUCERS = {ENTERPRISE: 19, COOPERATIVE: 34, ProducerType.COOPERATIVE_GROUP: 0, HOUSEHOLD: 67}
EXPECTED_CERTIFIED = 191
EXPECTED_FOUR_STAR = 17
EXPECTED_SOLD_ONLINE = 130

# The 17 products rated 4★, as (trade, producer type, line): each picks the first such product.
FOUR_STAR: tuple[tuple[str, ProducerType, str], ...] = (
    ("citadel", ENTERPRISE, "quang_ngai_citadel"),
    ("garlic", ENTERPRISE, "black_garlic"),
    ("garlic", ENTERPRISE, "black_garlic"),
    ("garlic", ENTERPRISE, "single_clove_garlic"),
    ("garlic", COOPERATIVE, "black_single_clove"),
    ("cinnamon", ENTERPRISE, "cinnamon_oil"),
    ("cinnamon", ENTERPRISE, "cinnamon_incense"),
    ("malt", ENTERPRISE, "thi_pho_malt"),
    ("salt", ENTERPRISE, "salt_flakes"),
    ("fish_sauce", ENTERPRISE, "first_press_fish_sauce"),
    ("fish_sauce", ENTERPRISE, "first_press_fish_sauce"),
    ("lingzhi", ENTERPRISE, "red_lingzhi"),
    ("lingzhi", COOPERATIVE, "red_lingzhi"),
    ("dried_beef", ENTERPRISE, "dried_beef"),
    ("brocade", HOUSEHOLD, "brocade_bag"),
    ("pottery", HOUSEHOLD, "glazed_vase"),
    ("sugar", ENTERPRISE, "rock_sugar"),
)

# 4★ products first certified 3★ years ago, then re-rated: their history shows the upgrade.
UPGRADED_LINES = ("black_garlic", "cinnamon_oil", "thi_pho_malt", "salt_flakes", "brocade_bag", "glazed_vase")
# 3★ products whose first certificate ran its 36 months and was renewed.
RENEWED_LINES = ("ly_son_shallot", "tra_bong_cinnamon", "keo_guong", "sa_huynh_salt", "anchovy_fish_sauce",
                 "sesame_rice_paper", "braised_goby", "brocade_scarf")
EXPIRING_WITHIN_30_DAYS = 4
EXPIRING_WITHIN_90_DAYS = 6  # after the first 30 days


@dataclass(frozen=True)
class Lapse:
    trade: str
    type: ProducerType
    revocation_reason: str | None = None  # None: the certificate simply expired


# Products that were certified once and are not any more, made by producers who still have a certified
# product (so the count of producers stays the province's).
LAPSED: tuple[Lapse, ...] = (
    Lapse("garlic", HOUSEHOLD),
    Lapse("malt", HOUSEHOLD),
    Lapse("fish_sauce", COOPERATIVE),
    Lapse("rice_paper", HOUSEHOLD),
    Lapse("brocade", HOUSEHOLD),
    Lapse("cinnamon", COOPERATIVE),
    Lapse("dried_seafood", HOUSEHOLD,
          "Kiểm tra định kỳ cho thấy sản phẩm không duy trì được chất lượng như hồ sơ đánh giá."),
    Lapse("sugar", ENTERPRISE, "Bao bì sử dụng nhãn OCOP không đúng hạng sao được công nhận."),
    Lapse("lingzhi", COOPERATIVE, "Chủ thể ngừng sản xuất sản phẩm và đề nghị thu hồi giấy chứng nhận."),
)

# Invented names. Brands are two-syllable names in the local style; households are named after a person.
BRAND_FIRST = ("An", "Bảo", "Gia", "Hồng", "Kim", "Minh", "Ngọc", "Phúc", "Tâm", "Thiên", "Thuận", "Trường",
               "Việt", "Hải", "Hoàng", "Khánh", "Phước", "Quang", "Sơn", "Đại")
BRAND_SECOND = ("Lộc", "Phát", "Nguyên", "Khang", "Hòa", "Long", "Tín", "Mỹ", "Thịnh", "Đạt", "Vinh", "Hưng",
                "Phú", "Châu", "Quý", "Điền", "Xuân", "Hiền")
FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
                "Dương", "Trương", "Đoàn")
# Many Hrê and Ca Dong families in the highland districts carry these names.
HIGHLAND_FAMILY_NAMES = ("Đinh", "Phạm", "Hồ")
HIGHLAND_DISTRICTS = ("ba-to", "minh-long", "son-ha", "son-tay", "tra-bong")
WOMEN_GIVEN = ("Hạnh", "Hoa", "Lan", "Mai", "Nga", "Sương", "Thảo", "Thu", "Trang", "Vân", "Xuân", "Yến",
               "Cúc", "Hương", "Liên", "Nhung", "Phượng", "Tuyết", "Diệu", "Hằng")
MEN_GIVEN = ("An", "Bình", "Dũng", "Hùng", "Lộc", "Nam", "Phúc", "Quang", "Tín", "Tuấn", "Cường", "Định",
             "Hải", "Khoa", "Lực", "Nhân", "Sang", "Tài", "Thắng", "Vĩnh")
WOMEN_TITLES = ("Cô", "Bà", "Chị")
MEN_TITLES = ("Chú", "Ông", "Anh")
MOBILE_PREFIXES = ("090", "091", "093", "094", "097", "098", "032", "033", "035", "036", "038", "070",
                   "076", "077", "079", "081", "083", "085", "086", "088")
