"""A national-scale OCOP catalogue in PostgreSQL, for the benchmark.

    .venv/bin/python -m bench.generate [--seed N]

Drops and recreates the database named by BENCH_DATABASE_URL (default: ocop_bench on the local
PostgreSQL), migrates it, and fills it with bulk inserts: one province with its former districts and
communes, 10,000 producers, 20,000 products with certificates, 500 sales points with their stock lists
and opening hours, the places of the tourism products, no images. The data
is fictional but shaped like the real catalogue; certificate dates are relative to today in Quảng
Ngãi, so most products are certified on the day the benchmark runs.

`build_catalogue` makes the rows without touching a database, so a smaller sample can be loaded
anywhere (the audit uses it with `--sample-data`).
"""
import argparse
import math
import os
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from storefront.text import slugify

DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/ocop_bench"
INSERT_CHUNK = 2_000
# The date the province began certifying 3★ itself (before, the former districts did).
TWO_TIER_GOVERNMENT = date(2025, 7, 1)


@dataclass(frozen=True)
class Scale:
    producers: int
    products: int
    sales_points: int
    communes_per_district: int
    craft_villages: int


NATIONAL = Scale(producers=10_000, products=20_000, sales_points=500, communes_per_district=12,
                 craft_villages=25)
SAMPLE = Scale(producers=40, products=80, sales_points=13, communes_per_district=3, craft_villages=4)


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)


# --- Words the fictional catalogue is made of -----------------------------------------------------

# (name, kind) of the 13 district-level units before 1 July 2025.
FORMER_DISTRICTS = (
    ("Thành phố Quảng Ngãi", "city"), ("Thị xã Đức Phổ", "town"), ("Huyện Ba Tơ", "district"),
    ("Huyện Bình Sơn", "district"), ("Huyện Lý Sơn", "district"), ("Huyện Minh Long", "district"),
    ("Huyện Mộ Đức", "district"), ("Huyện Nghĩa Hành", "district"), ("Huyện Sơn Hà", "district"),
    ("Huyện Sơn Tây", "district"), ("Huyện Sơn Tịnh", "district"), ("Huyện Trà Bồng", "district"),
    ("Huyện Tư Nghĩa", "district"),
)
PLACE_FIRST = ("Tịnh", "Nghĩa", "Đức", "Phổ", "Bình", "Hành", "Sơn", "Trà", "Ba", "Long", "Thanh", "Tư")
PLACE_SECOND = ("An", "Bình", "Hòa", "Phong", "Thạnh", "Hiệp", "Kỳ", "Thuận", "Minh", "Lộc", "Trung",
                "Đông", "Tây", "Sơn", "Phú", "Hải", "Quang", "Xuân")

FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đinh", "Phan")
MIDDLE_NAMES = ("Văn", "Thị", "Minh", "Thanh", "Ngọc", "Đức")
GIVEN_NAMES = ("An", "Bình", "Cường", "Dũng", "Hoa", "Lan", "Mai", "Nam", "Phúc", "Tâm", "Hùng", "Yến")
TRADES = ("Nông sản", "Thực phẩm", "Dược liệu", "Thổ cẩm", "Quế", "Tỏi", "Mạch nha", "Nước mắm",
          "Đặc sản", "Sinh vật cảnh", "Du lịch cộng đồng", "Gốm")

PRODUCER_TYPES = (("household", 0.50), ("cooperative", 0.28), ("enterprise", 0.16),
                  ("cooperative_group", 0.06))
PRODUCER_PREFIX = {"household": "Hộ kinh doanh", "cooperative": "Hợp tác xã", "enterprise": "Công ty TNHH",
                   "cooperative_group": "Tổ hợp tác"}

# group: (weight, ((name_vi, name_en), …), (unit_vi, unit_en) choices, price range in đồng)
GROUPS = {
    1: (0.55, (("Tỏi Lý Sơn", "Lý Sơn garlic"), ("Tỏi đen Lý Sơn", "Lý Sơn black garlic"),
               ("Hành tím Lý Sơn", "Lý Sơn shallots"), ("Mạch nha Thi Phổ", "Thi Phổ malt syrup"),
               ("Kẹo gương", "Kẹo gương candy"), ("Đường phèn", "Rock sugar"), ("Muối Sa Huỳnh", "Sa Huỳnh salt"),
               ("Nước mắm", "Fish sauce"), ("Bò một nắng", "Sun-dried beef"), ("Bánh tráng", "Rice paper"),
               ("Chả cá", "Fish cake"), ("Mật ong rừng", "Wild honey"), ("Gạo lứt", "Brown rice"),
               ("Cá bống sông Trà", "Trà River goby")),
        (("Hộp 500 g", "500 g box"), ("Túi 1 kg", "1 kg bag"), ("Hũ 250 g", "250 g jar"),
         ("Chai 500 ml", "500 ml bottle")), (20_000, 800_000)),
    2: (0.12, (("Rượu ngô", "Corn wine"), ("Trà xanh", "Green tea"), ("Rượu cần", "Jar wine"),
               ("Trà quế", "Cinnamon tea"), ("Cà phê Măng Đen", "Măng Đen coffee"), ("Nước nhàu", "Noni juice")),
        (("Chai 500 ml", "500 ml bottle"), ("Hộp 200 g", "200 g box"), ("Bình 2 lít", "2-litre jar")),
        (40_000, 1_500_000)),
    3: (0.15, (("Tinh dầu quế Trà Bồng", "Trà Bồng cinnamon oil"), ("Quế Trà Bồng", "Trà Bồng cinnamon"),
               ("Nấm linh chi", "Lingzhi mushroom"), ("Sâm Ngọc Linh", "Ngọc Linh ginseng"),
               ("Nhang quế", "Cinnamon incense"), ("Trà hoa vàng", "Golden camellia tea"),
               ("Xà phòng thảo dược", "Herbal soap")),
        (("Lọ 10 ml", "10 ml vial"), ("Hộp 100 g", "100 g box"), ("Bó 50 nén", "Bundle of 50 sticks")),
        (50_000, 3_000_000)),
    4: (0.10, (("Thổ cẩm Ba Tơ", "Ba Tơ brocade"), ("Gốm Mỹ Thiện", "Mỹ Thiện pottery"), ("Chiếu cói", "Sedge mat"),
               ("Mây tre đan", "Rattan and bamboo ware"), ("Nón lá", "Palm-leaf hat")),
        (("Chiếc", "Piece"), ("Bộ", "Set"), ("Tấm", "Sheet")), (100_000, 5_000_000)),
    5: (0.03, (("Mai vàng", "Yellow apricot blossom"), ("Bonsai", "Bonsai"), ("Lan rừng", "Wild orchid"),
               ("Cây cảnh", "Ornamental tree")),
        (("Chậu", "Pot"), ("Cây", "Tree")), (100_000, 20_000_000)),
    6: (0.05, (("Làng Gò Cỏ", "Gò Cỏ village"), ("Thành cổ Châu Sa", "Châu Sa citadel"),
               ("Du lịch cộng đồng", "Community tourism"), ("Homestay sinh thái", "Eco homestay"),
               ("Khu du lịch sinh thái", "Eco-tourism site")),
        (("Vé", "Ticket"), ("Tour 1 ngày", "One-day tour")), (30_000, 2_000_000)),
}
SUBGROUPS = {1: ("fresh", "raw_processed", "processed", "seasonings"), 2: ("alcoholic", "non_alcoholic"),
             3: ("functional_food", "herbal_cosmetics", "essential_oils", "herbal_medicine"),
             4: ("weaving_brocade", "wood_bamboo", "ceramics", "decorative"),
             5: ("flowers", "ornamental_plants", "ornamental_animals"),
             6: ("community_tourism", "eco_tourism", "tourist_site")}
QUALIFIERS = (("", ""), ("loại 1", "grade 1"), ("đặc biệt", "special"), ("hữu cơ", "organic"),
              ("truyền thống", "traditional"), ("cao cấp", "premium"))

# What happens to a product's certificates: (scenario, weight). Most are valid 3★/4★.
CERTIFICATION_SCENARIOS = (("valid3", 0.56), ("valid4", 0.22), ("valid5", 0.03), ("renewed", 0.08),
                           ("expired", 0.07), ("revoked", 0.03), ("not_yet_valid", 0.01))
SCORES = {3: (50, 69), 4: (70, 89), 5: (90, 100)}

LOREM_VI = ("Sản phẩm được làm theo cách truyền thống của người dân địa phương, từ nguyên liệu trồng và thu "
            "hoạch tại vùng đất Quảng Ngãi. Mỗi công đoạn đều được kiểm soát để giữ hương vị đặc trưng. ")
LOREM_EN = ("Made the traditional way by local people, from ingredients grown and harvested in Quảng Ngãi. "
            "Every step is checked to keep its distinctive taste. ")


# --- Rows ------------------------------------------------------------------------------------------

class CatalogueBuilder:
    """Builds the rows of every table, with explicit ids so rows can refer to each other before insert."""

    def __init__(self, scale: Scale, day: date, seed: int):
        from storefront.certification.models import default_valid_until
        from storefront.clock import utcnow

        self.scale = scale
        self.day = day
        self.now = utcnow()
        self.rng = random.Random(seed)
        self.valid_until_for = default_valid_until
        self.district_of: dict[int, dict] = {}

    def build(self) -> dict[str, list[dict]]:
        """Rows by table name, in an order that satisfies foreign keys."""
        areas, communes = self._areas()
        villages = self._craft_villages(communes)
        producers = self._producers(communes, villages)
        products = self._products(producers)
        certificates = self._certificates(products, producers)
        points = self._sales_points(communes)
        # The locator's rows come from a generator of their own, so the catalogue stays what it was.
        locator = LocatorRows(self.day, random.Random(self.rng.random()), communes, products, points)
        return {
            "area": areas,
            "craft_village": villages,
            "producer": producers,
            "product": products,
            "certificate": certificates,
            "sales_point": points,
            "sales_point_stock": locator.stock(),
            "destination": locator.destinations(),
            "opening_hours": locator.hours(),
            "opening_exception": locator.exceptions(),
        }

    def _areas(self):
        province = {"id": 1, "slug": "quang-ngai", "name": "Quảng Ngãi", "level": "province",
                    "kind": "province", "parent_id": None, "latitude": None, "longitude": None}
        areas, communes, used = [province], [], set()
        for name, kind in FORMER_DISTRICTS:
            district = {"id": len(areas) + 1, "slug": slugify(name), "name": name, "level": "former_district",
                        "kind": kind, "parent_id": 1, "latitude": None, "longitude": None}
            areas.append(district)
            is_island = name.endswith("Lý Sơn")
            for _ in range(1 if is_island else self.scale.communes_per_district):
                commune = {"id": len(areas) + 1, "level": "commune", "parent_id": district["id"],
                           "kind": "special_zone" if is_island else ("ward" if kind != "district" else "commune")}
                commune["name"] = "Đặc khu Lý Sơn" if is_island else self._unique_place(commune["kind"], used)
                commune["slug"] = slugify(commune["name"])
                commune["latitude"], commune["longitude"] = ((15.38, 109.12) if is_island else
                                                             (round(14.55 + (len(areas) * 0.37) % 0.85, 4),
                                                              round(108.30 + (len(areas) * 0.53) % 0.65, 4)))
                areas.append(commune)
                communes.append(commune)
                self.district_of[commune["id"]] = district
        return areas, communes

    def _unique_place(self, kind: str, used: set) -> str:
        word = "Phường" if kind == "ward" else "Xã"
        for _ in range(1000):
            name = f"{word} {self.rng.choice(PLACE_FIRST)} {self.rng.choice(PLACE_SECOND)}"
            if name not in used:
                used.add(name)
                return name
        raise RuntimeError("ran out of place names")

    def _craft_villages(self, communes):
        trades = ("mạch nha", "chiếu cói", "gốm", "bánh tráng", "nước mắm", "dệt thổ cẩm", "làm muối", "đan lát")
        villages = []
        for number in range(1, self.scale.craft_villages + 1):
            commune = self.rng.choice(communes)
            trade = trades[number % len(trades)]
            name = f"Làng nghề {trade} {commune['name'].split(' ', 1)[1]}"
            villages.append({"id": number, "slug": f"{slugify(name)}-{number}", "name_vi": name,
                             "name_en": None, "description_vi": LOREM_VI, "description_en": None,
                             "area_id": commune["id"]})
        return villages

    def _producers(self, communes, villages):
        types, weights = zip(*PRODUCER_TYPES)
        producers = []
        for number in range(1, self.scale.producers + 1):
            kind = self.rng.choices(types, weights)[0]
            commune = self.rng.choice(communes)
            place = commune["name"].split(" ", 1)[1]
            if kind == "household":
                name = (f"{PRODUCER_PREFIX[kind]} {self.rng.choice(FAMILY_NAMES)} "
                        f"{self.rng.choice(MIDDLE_NAMES)} {self.rng.choice(GIVEN_NAMES)}")
            else:
                name = f"{PRODUCER_PREFIX[kind]} {self.rng.choice(TRADES)} {place}"
            has_story = self.rng.random() < 0.3
            producers.append({
                "id": number, "slug": f"{slugify(name)}-{number}", "name": name, "type": kind,
                "area_id": commune["id"], "address": f"Thôn {self.rng.randint(1, 9)}, {commune['name']}",
                "phone": "09" + "".join(self.rng.choices("0123456789", k=8)),
                "email": f"lienhe{number}@example.vn" if self.rng.random() < 0.4 else None,
                "website": None, "story_vi": LOREM_VI * 3 if has_story else "",
                "story_en": LOREM_EN * 3 if has_story and self.rng.random() < 0.5 else None,
                "logo_id": None,
                "craft_village_id": self.rng.choice(villages)["id"] if villages and self.rng.random() < 0.05 else None,
                "sells_through_modern_channels": self.rng.random() < 0.55,
                "created_at": self.now - timedelta(days=self.rng.randint(30, 6 * 365)),
            })
        return producers

    def _products(self, producers):
        # Every producer has a product; the rest go to producers at random, so some have many.
        owners = [p["id"] for p in producers]
        owners += self.rng.choices(owners, k=max(0, self.scale.products - len(owners)))
        owners = owners[:self.scale.products]
        self.rng.shuffle(owners)
        groups, weights = zip(*((group, spec[0]) for group, spec in GROUPS.items()))
        return [self._product(number, owner, self.rng.choices(groups, weights)[0])
                for number, owner in enumerate(owners, start=1)]

    def _product(self, number: int, producer_id: int, group: int) -> dict:
        _, names, units, (lowest, highest) = GROUPS[group]
        name_vi, name_en = self.rng.choice(names)
        qualifier_vi, qualifier_en = self.rng.choice(QUALIFIERS)
        name_vi = f"{name_vi} {qualifier_vi}".strip()
        name_en = f"{qualifier_en} {name_en}".strip().capitalize() if self.rng.random() < 0.7 else None
        unit_vi, unit_en = self.rng.choice(units)
        is_tourism = group == 6
        price = None if is_tourism and self.rng.random() < 0.3 else self._price(lowest, highest)
        created = self.now - timedelta(days=self.rng.randint(1, 4 * 365), minutes=self.rng.randint(0, 1440))
        return {
            "id": number, "slug": f"{slugify(name_vi)}-{number}", "producer_id": producer_id,
            "group": group, "subgroup": self.rng.choice(SUBGROUPS[group]),
            "name_vi": name_vi, "name_en": name_en,
            "summary_vi": LOREM_VI[:150], "summary_en": LOREM_EN[:150] if name_en else None,
            "description_vi": LOREM_VI * 4, "description_en": LOREM_EN * 4 if name_en else None,
            "story_vi": LOREM_VI * 2 if self.rng.random() < 0.5 else "", "story_en": None,
            "heritage_vi": LOREM_VI if self.rng.random() < 0.2 else "", "heritage_en": None,
            "price": price, "unit_vi": unit_vi, "unit_en": unit_en if name_en else None,
            "stock": 0 if self.rng.random() < 0.08 else self.rng.randint(1, 500),
            "sold_online": self.rng.random() < (0.3 if is_tourism else 0.65),
            "shippable": not is_tourism,
            "is_published": self.rng.random() < 0.97,
            "created_at": created, "updated_at": created,
        }

    def _price(self, lowest: int, highest: int) -> int:
        # Log-uniform, rounded to a thousand đồng: many cheap products, a few dear ones.
        value = math.exp(self.rng.uniform(math.log(lowest), math.log(highest)))
        return int(round(value, -3))

    def _certificates(self, products, producers):
        district_by_producer = {p["id"]: self.district_of[p["area_id"]]["name"] for p in producers}
        scenarios, weights = zip(*CERTIFICATION_SCENARIOS)
        certificates = []
        for product in products:
            scenario = self.rng.choices(scenarios, weights)[0]
            district = district_by_producer[product["producer_id"]]
            for stars, decided, revoked_at in self._certificate_history(scenario):
                certificates.append(self._certificate(len(certificates) + 1, product["id"], stars, decided,
                                                      revoked_at, district))
        return certificates

    def _certificate_history(self, scenario: str):
        """(stars, decision date, revoked at) of each certificate a product has had."""
        day, rng = self.day, self.rng
        if scenario.startswith("valid"):
            return [(int(scenario[-1]), day - timedelta(days=rng.randint(0, 1000)), None)]
        if scenario == "renewed":
            renewed = day - timedelta(days=rng.randint(0, 700))
            return [(3, renewed - timedelta(days=1096), None), (rng.choice((3, 4)), renewed, None)]
        if scenario == "expired":
            return [(rng.choice((3, 3, 4)), day - timedelta(days=rng.randint(1100, 2200)), None)]
        if scenario == "revoked":
            decided = day - timedelta(days=rng.randint(100, 900))
            revoked = datetime.combine(decided + timedelta(days=rng.randint(30, 90)), datetime.min.time())
            return [(rng.choice((3, 4)), decided, revoked)]
        return [(3, day + timedelta(days=rng.randint(5, 60)), None)]  # not yet valid

    def _certificate(self, number, product_id, stars, decided: date, revoked_at, district: str) -> dict:
        if stars == 5:
            level, authority, decision = "central", "Bộ Nông nghiệp và Môi trường", "QĐ-BNNMT"
        elif stars == 3 and decided < TWO_TIER_GOVERNMENT and self.rng.random() < 0.5:
            level, authority, decision = "district", f"UBND {district}", "QĐ-UBND"
        else:
            level, authority, decision = "province", "UBND tỉnh Quảng Ngãi", "QĐ-UBND"
        return {
            "id": number, "product_id": product_id, "number": f"OCOP-{number:06d}", "stars": stars,
            "score": self.rng.randint(*SCORES[stars]),
            "decision_number": f"{self.rng.randint(100, 3000)}/{decision}", "decision_date": decided,
            "authority": authority, "level": level, "valid_from": decided,
            "valid_until": self.valid_until_for(decided), "revoked_at": revoked_at,
            "revocation_reason": "Không duy trì chất lượng sản phẩm." if revoked_at else None,
            "created_at": datetime.combine(decided, datetime.min.time()),
        }

    def _sales_points(self, communes):
        points = []
        for number in range(1, self.scale.sales_points + 1):
            commune = self.rng.choice(communes)
            on_island = commune["kind"] == "special_zone"
            name = f"Điểm giới thiệu và bán sản phẩm OCOP {commune['name']} {number}"
            points.append({
                "id": number, "slug": f"{slugify(name)}", "name_vi": name,
                "name_en": f"OCOP showroom {commune['name']} {number}",
                "address": f"{self.rng.randint(1, 300)} Quang Trung, {commune['name']}", "area_id": commune["id"],
                "latitude": self.rng.uniform(15.37, 15.39) if on_island else self.rng.uniform(14.55, 15.40),
                "longitude": self.rng.uniform(109.10, 109.14) if on_island else self.rng.uniform(108.30, 108.95),
                "opening_hours_vi": "7:00–21:00 hằng ngày", "opening_hours_en": "7:00–21:00 daily",
                "phone": "0255" + "".join(self.rng.choices("0123456789", k=7)),
                "funding": "state_supported" if self.rng.random() < 0.45 else "private",
                "description_vi": LOREM_VI, "description_en": LOREM_EN, "is_published": True,
            })
        return points


class LocatorRows:
    """What the locator reads besides the sales points: stock lists, weekly hours with a Tết closure, and
    the places of the tourism products (group 6) with their hours."""

    def __init__(self, day: date, rng: random.Random, communes, products, points):
        self.day, self.rng, self.communes, self.points = day, rng, communes, points
        self.sellable = [p["id"] for p in products if p["group"] != 6]
        self.tourism = [p for p in products if p["group"] == 6]
        self._destinations: list[dict] = []

    def stock(self) -> list[dict]:
        rows = []
        for point in self.points:
            for product_id in sorted(self.rng.sample(self.sellable, self.rng.randint(20, 60))):
                rows.append({"sales_point_id": point["id"], "product_id": product_id,
                             "quantity": self.rng.choice((None, None, 0, 5, 12, 40))})
        return rows

    def destinations(self) -> list[dict]:
        for product in self.tourism:
            commune = self.rng.choice(self.communes)
            self._destinations.append({
                "id": len(self._destinations) + 1, "product_id": product["id"],
                "address": f"Thôn {self.rng.randint(1, 9)}, {commune['name']}", "area_id": commune["id"],
                "latitude": round(commune["latitude"] + self.rng.uniform(-0.03, 0.03), 5),
                "longitude": round(commune["longitude"] + self.rng.uniform(-0.03, 0.03), 5),
                "phone": None})
        return self._destinations

    WEEKS = (((0, 6, 450, 1260),), ((0, 5, 420, 690), (0, 5, 810, 1050)), ((0, 6, 330, 30),),
             ((0, 5, 420, 1140), (6, 6, 480, 720)))

    def hours(self) -> list[dict]:
        rows = []
        owners = [("sales_point_id", p["id"]) for p in self.points]
        owners += [("destination_id", d["id"]) for d in self._destinations]
        for column, owner in owners:
            for first, last, opens, closes in self.rng.choice(self.WEEKS):
                for weekday in range(first, last + 1):
                    rows.append({"id": len(rows) + 1, "sales_point_id": None, "destination_id": None, column: owner,
                                 "weekday": weekday, "opens": opens, "closes": closes})
        return rows

    def exceptions(self) -> list[dict]:
        """Every sales point closes for the four days of the coming Tết (a date in the weeks ahead)."""
        first = self.day + timedelta(days=40)
        return [{"id": index * 4 + offset + 1, "sales_point_id": point["id"], "destination_id": None,
                 "day": first + timedelta(days=offset), "closed": True, "opens": None, "closes": None,
                 "note_vi": "Nghỉ Tết Nguyên Đán", "note_en": "Closed for Tết"}
                for index, point in enumerate(self.points) for offset in range(4)]


def build_catalogue(scale: Scale, day: date, seed: int = 20251122) -> dict[str, list[dict]]:
    return CatalogueBuilder(scale, day, seed).build()


# --- Loading ---------------------------------------------------------------------------------------

def insert_catalogue(connection, tables: dict[str, list[dict]], progress=print) -> None:
    """Bulk-insert the rows in chunks (SQLAlchemy Core: one multi-row INSERT per chunk)."""
    from storefront.extensions import db

    for name, rows in tables.items():
        table = db.metadata.tables[name]
        started = time.perf_counter()
        for start in range(0, len(rows), INSERT_CHUNK):
            connection.execute(insert(table), rows[start:start + INSERT_CHUNK])
        progress(f"  {name:<14} {len(rows):>7,} rows  {time.perf_counter() - started:5.1f} s")


def reset_id_sequences(connection, table_names) -> None:
    """Rows were inserted with explicit ids: move each PostgreSQL sequence past them."""
    from storefront.extensions import db

    for name in table_names:
        if "id" not in db.metadata.tables[name].c:
            continue
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM \"{name}\"), false)"))


def recreate_database(url: str) -> None:
    target = make_url(url)
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        server.dispose()


def bench_app(url: str, **settings):
    """The shop's app on the benchmark database (development configuration otherwise)."""
    from storefront import create_app
    from storefront.config import DevelopmentConfig

    return create_app(type("BenchConfig", (DevelopmentConfig,), {"SQLALCHEMY_DATABASE_URI": url, **settings}))


def analyze(url: str) -> None:
    # Planner statistics (see PERFORMANCE.md); VACUUM also sets the visibility map after a bulk load,
    # which a long-running database would have, so index-only scans are possible.
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("VACUUM (ANALYZE)"))
    finally:
        engine.dispose()


def certified_counts(day: date) -> dict[int, int]:
    """Listed (published, certified today) products by stars, as the shop itself derives them."""
    from storefront.certification.queries import certified_products
    from storefront.extensions import db

    listed = certified_products(day)[0].subquery()
    return dict(db.session.execute(select(listed.c.stars, func.count()).group_by(listed.c.stars)).all())


def generate(url: str, seed: int = 20251122, scale: Scale = NATIONAL, progress=print) -> dict[int, int]:
    """Recreate, migrate and fill the benchmark database; returns the listed products by stars."""
    from flask_migrate import upgrade

    from storefront.clock import today
    from storefront.extensions import db

    started = time.perf_counter()
    progress(f"Recreating {make_url(url).render_as_string(hide_password=True)}")
    recreate_database(url)
    app = bench_app(url)
    with app.app_context():
        progress("Migrating")
        upgrade()
        day = today()
        progress(f"Building the catalogue for {day:%d/%m/%Y} (seed {seed})")
        tables = build_catalogue(scale, day, seed)
        progress("Inserting")
        with db.engine.begin() as connection:
            insert_catalogue(connection, tables, progress)
            reset_id_sequences(connection, tables)
        progress("VACUUM ANALYZE")
        analyze(url)
        counts = certified_counts(day)
        db.engine.dispose()
    listed = sum(counts.values())
    progress(f"Listed as certified today: {listed:,} products "
             f"({', '.join(f'{stars}★ {counts.get(stars, 0):,}' for stars in (5, 4, 3))}); "
             f"{time.perf_counter() - started:.1f} s in all")
    if listed < scale.products // 2:
        raise RuntimeError(f"only {listed} products show as certified: the generated dates are wrong")
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20251122, help="same seed, same catalogue")
    args = parser.parse_args(argv)
    generate(database_url(), seed=args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
