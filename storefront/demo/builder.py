"""Turns the demo data (places, catalogue, roster) into unsaved model objects, dated from a given day.

Nothing here touches the database or the disk: operations.py stages what this builds and draws the
pictures it asks for. The result is the same on every run for the same day (a seeded generator picks the
invented names), and build_catalogue checks the province's figures before returning.
"""
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from ..areas.models import Area, AreaKind, AreaLevel
from ..catalog.models import CraftVillage, Producer, ProducerType, Product, ProductGroup
from ..certification.models import Certificate, CertificationLevel, default_valid_until
from ..certification.rules import DISTRICTS_CERTIFIED_UNTIL, PROVINCE_AUTHORITY, check_certificate
from ..clock import LOCAL_TZ
from ..locator.hours import parse_time
from ..locator.models import Destination, Funding, OpeningException, OpeningHours, SalesPoint, SalesPointStock
from ..text import slugify
from . import roster
from .catalogue import LINES, TRADES, Line, Text, Trade
from .places import (COMMUNE_POSITIONS, COMMUNE_TITLES, CRAFT_VILLAGES, DESTINATIONS, DISTRICT_TITLES, DISTRICTS,
                     PROVINCE_NAME, SALES_POINTS, TET, Commune, District)


# Days before the load that certification rounds took place; each district holds its round a few days
# apart. All are recent enough to leave more than 90 days of validity.
ROUND_AGES = (18, 74, 131, 205, 262, 340, 415, 488, 560, 615, 690, 752, 830, 905, 960)
UPGRADE_AGES = (415, 488, 560, 615, 690, 752)
RENEWAL_AGES = (74, 131, 205, 262)
UPGRADE_GAP_DAYS = 800  # the first 3★ rating came this long before the 4★ one
RENEWAL_OVERLAP_DAYS = 1085  # a renewal is decided about ten days before the old certificate ends
EXPIRING_SOON_AGES = (1080, 1076, 1072, 1068)  # ~15 to ~27 days of validity left
EXPIRING_LATER_AGES = (1050, 1044, 1038, 1032, 1026, 1020)  # ~45 to ~75 days left
EXPIRED_AGES = (1150, 1190, 1230, 1275, 1320, 1380)
REVOKED = ((430, 35), (545, 80), (610, 140))  # (decision age, revoked this many days ago)

COMMUNE_TITLES_EN = {AreaKind.WARD: "ward", AreaKind.COMMUNE: "commune", AreaKind.SPECIAL_ZONE: "special zone"}
SPECIAL_HAMLETS = {("malt", "Long Phụng"): "Thi Phổ", ("go_co", "Sa Huỳnh"): "Gò Cỏ",
                   ("pottery", "Bình Sơn"): "Mỹ Thiện"}
PRICE_FACTORS = (1.0, 1.05, 0.95, 1.1, 0.9, 1.15)


@dataclass(frozen=True)
class Picture:
    """A drawing to make once and reuse wherever the same key appears."""

    key: str
    kind: str  # "product", "scene", "logo", "shop_front" or "shop_interior"
    motif: str
    group: ProductGroup
    title: str
    caption: str
    alt: Text


@dataclass
class DemoCatalogue:
    areas: list[Area] = field(default_factory=list)
    craft_villages: list[CraftVillage] = field(default_factory=list)
    producers: list[Producer] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)
    sales_points: list[SalesPoint] = field(default_factory=list)
    destinations: list[Destination] = field(default_factory=list)
    product_pictures: list[tuple[Product, list[Picture]]] = field(default_factory=list)
    logos: list[tuple[Producer, Picture]] = field(default_factory=list)
    point_pictures: list[tuple[SalesPoint, list[Picture]]] = field(default_factory=list)

    @property
    def steps(self) -> int:
        """Units of work in staging it, for a progress bar: the rows, then each logo's, product's and sales
        point's pictures."""
        return 1 + len(self.logos) + len(self.product_pictures) + len(self.point_pictures)


@dataclass(eq=False)
class _Made:
    """A product with what the builder needs to know about it until certificates are dated."""

    product: Product
    line: Line
    trade: Trade
    type: ProducerType
    district: District
    brand: str
    stars: int = 3


def build_catalogue(day: date) -> DemoCatalogue:
    return _Builder(day).build()


class _Builder:
    def __init__(self, day: date):
        self.day = day
        self.random = random.Random(2024_191)
        self.catalogue = DemoCatalogue()
        self.communes: dict[str, tuple[Area, Commune, District]] = {}
        self.villages: dict[str, CraftVillage] = {}
        self.used_brands: set[str] = set()
        self.used_names: set[str] = set()
        self.line_cursor: Counter = Counter()
        self.certified: list[_Made] = []
        self.lapsed: list[tuple[_Made, roster.Lapse]] = []
        self.made_by: dict[int, list[_Made]] = defaultdict(list)  # id(producer) → its products

    def build(self) -> DemoCatalogue:
        self._areas()
        self._craft_villages()
        for row in roster.ROSTER:
            for _ in range(row.producers):
                self._producer(row)
        self._lapsed_products()
        self._rate()
        self._certify()
        self._sales_points()
        self._destinations()
        for producer in self.catalogue.producers:
            producer.sells_through_modern_channels = any(m.product.sold_online for m in self.made_by[id(producer)])
            producer.story_vi, producer.story_en = self._producer_story(producer)
        _check_figures(self.certified, self.catalogue.producers)
        _check_unique(self.catalogue)
        return self.catalogue

    # Places

    def _areas(self):
        province = Area(name=PROVINCE_NAME, slug="tinh-quang-ngai", level=AreaLevel.PROVINCE,
                        kind=AreaKind.PROVINCE)
        self.catalogue.areas.append(province)
        for district in DISTRICTS:
            district_area = Area(name=district.name, slug=district.key, level=AreaLevel.FORMER_DISTRICT,
                                 kind=district.kind, parent=province)
            self.catalogue.areas.append(district_area)
            for commune in district.communes:
                if commune.name in self.communes:
                    raise ValueError(f"two communes are named {commune.name}")
                latitude, longitude = COMMUNE_POSITIONS[commune.name]
                area = Area(name=commune.name, slug=slugify(f"{COMMUNE_TITLES[commune.kind]} {commune.name}"),
                            level=AreaLevel.COMMUNE, kind=commune.kind, parent=district_area,
                            latitude=latitude, longitude=longitude)
                self.communes[commune.name] = (area, commune, district)
                self.catalogue.areas.append(area)
            positions = [COMMUNE_POSITIONS[c.name] for c in district.communes]
            district_area.latitude = round(sum(p[0] for p in positions) / len(positions), 4)
            district_area.longitude = round(sum(p[1] for p in positions) / len(positions), 4)

    def _craft_villages(self):
        for place in CRAFT_VILLAGES:
            village = CraftVillage(slug=place.key, name_vi=place.name_vi, name_en=place.name_en,
                                   description_vi=place.description_vi, description_en=place.description_en,
                                   area=self.communes[place.commune][0])
            self.villages[place.key] = village
            self.catalogue.craft_villages.append(village)

    # Producers and their products

    def _producer(self, row: roster.RosterRow):
        trade = TRADES[row.trade]
        area, commune, district = self.communes[row.commune]
        name, brand = self._identity(row.type, trade, district)
        producer = Producer(name=name, slug=slugify(name), type=row.type, area=area,
                            address=self._address(trade, commune),
                            phone=self._mobile_number(), sells_through_modern_channels=False)
        if row.type is not ProducerType.HOUSEHOLD:  # a household is reached by phone; the others by e-mail too
            producer.email = f"lienhe@{slugify(name)}.example"
        village = self.villages.get(trade.craft_village) if trade.craft_village else None
        if village is not None and village.area is area:
            producer.craft_village = village
        self.catalogue.producers.append(producer)
        producer_index = len(self.catalogue.producers)
        for _ in range(row.products_each):
            line = LINES[trade.lines[self.line_cursor[trade.key] % len(trade.lines)]]
            self.line_cursor[trade.key] += 1
            self.certified.append(self._product(producer, producer_index, brand, line, trade, row.type, district))
        if row.type is ProducerType.ENTERPRISE or (row.type is ProducerType.COOPERATIVE and producer_index % 4 == 0):
            initials = "".join(word[0] for word in brand.split())
            self.catalogue.logos.append((producer, Picture(
                f"logo:{producer.slug}", "logo", initials, LINES[trade.lines[0]].group, brand, name,
                Text(f"Biểu trưng của {name}", f"Logo of {name}"))))

    def _identity(self, type: ProducerType, trade: Trade, district: District):
        """A producer's name and the brand its products carry, both unused so far."""
        if type is ProducerType.ENTERPRISE:
            brand = self._brand()
            form = "Công ty Cổ phần" if len(self.used_brands) % 4 == 0 else "Công ty TNHH"
            name = f"{form} {trade.enterprise} {brand}"
        elif type is ProducerType.COOPERATIVE:
            brand = self._brand()
            name = f"HTX {trade.cooperative} {brand}"
        elif len(self.used_names) % 2:
            brand = self._brand()
            name = f"Cơ sở {trade.establishment} {brand}"
        else:
            person, brand = self._person(district)
            name = f"Hộ kinh doanh {person}"
        if slugify(name) in self.used_names:
            raise ValueError(f"two producers are named {name}")
        self.used_names.add(slugify(name))
        return name, brand

    def _brand(self) -> str:
        while True:
            brand = f"{self.random.choice(roster.BRAND_FIRST)} {self.random.choice(roster.BRAND_SECOND)}"
            first, second = brand.split()
            if first != second and self._claim_brand(brand):
                return brand

    def _person(self, district: District) -> tuple[str, str]:
        highland = district.key in roster.HIGHLAND_DISTRICTS
        while True:
            family = self.random.choice(roster.HIGHLAND_FAMILY_NAMES if highland else roster.FAMILY_NAMES)
            if self.random.random() < 0.6:
                given, title, middle = (self.random.choice(roster.WOMEN_GIVEN),
                                        self.random.choice(roster.WOMEN_TITLES), "Thị")
            else:
                given, title = self.random.choice(roster.MEN_GIVEN), self.random.choice(roster.MEN_TITLES)
                middle = self.random.choice(("Văn", "Minh", "Hữu", "Đức", "Thanh"))
            brand = f"{title} {given}"
            person = f"{family} {middle} {given}"
            if slugify(f"Hộ kinh doanh {person}") not in self.used_names and self._claim_brand(brand):
                return person, brand

    def _claim_brand(self, brand: str) -> bool:
        # Brands that differ only in tone marks would give products the same slug.
        if slugify(brand) in self.used_brands:
            return False
        self.used_brands.add(slugify(brand))
        return True

    def _address(self, trade: Trade, commune: Commune) -> str:
        place = f"{COMMUNE_TITLES[commune.kind]} {commune.name}, tỉnh {PROVINCE_NAME}"
        if (trade.key, commune.name) in SPECIAL_HAMLETS:
            return f"Làng {SPECIAL_HAMLETS[trade.key, commune.name]}, {place}"
        if commune.hamlets:
            return f"Thôn {self.random.choice(commune.hamlets)}, {place}"
        if commune.kind is AreaKind.WARD:
            return f"Tổ dân phố {self.random.randint(1, 12)}, {place}"
        return f"Thôn {self.random.randint(1, 9)}, {place}"

    def _mobile_number(self) -> str:
        return self.random.choice(roster.MOBILE_PREFIXES) + f"{self.random.randrange(10_000_000):07d}"

    def _product(self, producer: Producer, producer_index: int, brand: str, line: Line, trade: Trade,
                 type: ProducerType, district: District) -> _Made:
        if line.branded:
            name = Text(f"{line.name.vi} {brand}", f"{line.name.en} – {brand}")
        else:
            name = line.name
        commune_area = producer.area
        commune_vi = f"{COMMUNE_TITLES[commune_area.kind]} {commune_area.name}"
        commune_en = f"{commune_area.name} {COMMUNE_TITLES_EN[commune_area.kind]}"
        price = None
        if line.price is not None:
            price = round(line.price * PRICE_FACTORS[producer_index % len(PRICE_FACTORS)], -3)
        serial = len(self.certified) + len(self.lapsed)
        visited = line.group is ProductGroup.TOURISM
        product = Product(
            slug=slugify(name.vi), producer=producer, group=int(line.group), subgroup=line.subgroup,
            name_vi=name.vi, name_en=name.en, summary_vi=line.summary.vi, summary_en=line.summary.en,
            description_vi=f"{line.description.vi} Sản phẩm của {producer.name}, {commune_vi}.",
            description_en=f"{line.description.en} Made by {producer.name}, {commune_en}.",
            story_vi=trade.product_story.vi.format(producer=producer.name),
            story_en=trade.product_story.en.format(producer=producer.name),
            heritage_vi=trade.heritage.vi, heritage_en=trade.heritage.en,
            price=int(price) if price is not None else None, unit_vi=line.unit.vi, unit_en=line.unit.en,
            stock=0 if visited or serial % 23 == 7 else 8 + serial * 37 % 180,
            sold_online=False, shippable=not visited, is_published=True)
        pictures = [Picture(f"line:{line.key}", "product", line.motif, line.group, line.name.vi, line.name.en,
                            Text(f"Hình vẽ minh họa {line.name.vi}", f"Drawing of {line.name.en}"))]
        if line.typical or visited:
            pictures.append(Picture(f"scene:{district.key}", "scene", district.scene, line.group,
                                    district.name, district.scene_en[:1].upper() + district.scene_en[1:],
                                    Text(f"Hình vẽ {district.scene_vi}", f"Drawing of {district.scene_en}")))
        self.catalogue.products.append(product)
        self.catalogue.product_pictures.append((product, pictures))
        made = _Made(product, line, trade, type, district, brand)
        self.made_by[id(producer)].append(made)
        return made

    def _lapsed_products(self):
        """Products certified once and not any more, by producers who keep a certified product."""
        for lapse in roster.LAPSED:
            candidates = [p for p in self.catalogue.producers if p.type is lapse.type
                          and self.made_by[id(p)] and self.made_by[id(p)][0].trade.key == lapse.trade]
            producer = min(candidates, key=lambda p: len(self.made_by[id(p)]))
            made = self.made_by[id(producer)]
            trade = made[0].trade
            line = next(LINES[key] for key in trade.lines
                        if LINES[key].branded and all(m.line.key != key for m in made))
            index = self.catalogue.producers.index(producer) + 1
            self.lapsed.append((self._product(producer, index, made[0].brand, line, trade, lapse.type,
                                              made[0].district), lapse))

    # Stars, online sales and certificates

    def _rate(self):
        for trade, type, line in roster.FOUR_STAR:
            made = next((m for m in self.certified if m.stars == 3 and m.trade.key == trade and m.type is type
                         and m.line.key == line), None)
            if made is None:
                raise ValueError(f"no {type} product of line {line} in trade {trade} to rate 4★")
            made.stars = 4
        sold = [m for m in self.certified if m.type is not ProducerType.HOUSEHOLD
                and m.line.group is not ProductGroup.TOURISM]
        households = [m for m in self.certified if m.type is ProducerType.HOUSEHOLD]
        wanted = roster.EXPECTED_SOLD_ONLINE - len(sold)
        # Households selling online are spread through the roster rather than bunched at its start.
        sold += [households[(k * len(households)) // wanted] for k in range(wanted)]
        for made in sold:
            made.product.sold_online = True

    def _certify(self):
        pending: list[tuple[Product, int, date, datetime | None, str | None, District]] = []

        def certify(made: _Made, stars: int, age: int, revoked_days_ago=None, reason=None):
            revoked_at = _local_morning_utc(self.day - timedelta(days=revoked_days_ago)) \
                if revoked_days_ago is not None else None
            pending.append((made.product, stars, self.day - timedelta(days=age), revoked_at, reason,
                            made.district))

        four_star = [m for m in self.certified if m.stars == 4]
        upgraded = [next(m for m in four_star if m.line.key == key) for key in roster.UPGRADED_LINES]
        renewed = [next(m for m in self.certified if m.stars == 3 and m.line.key == key)
                   for key in roster.RENEWED_LINES]
        plain = [m for m in self.certified if m not in upgraded and m not in renewed]
        plain_three_star = [m for m in plain if m.stars == 3]
        expiring_count = roster.EXPIRING_WITHIN_30_DAYS + roster.EXPIRING_WITHIN_90_DAYS
        step = len(plain_three_star) / expiring_count
        expiring = [plain_three_star[int(step * k + step / 2)] for k in range(expiring_count)]
        expiring_ages = EXPIRING_SOON_AGES + EXPIRING_LATER_AGES

        for index, made in enumerate(upgraded):
            age = UPGRADE_AGES[index % len(UPGRADE_AGES)]
            certify(made, 3, age + UPGRADE_GAP_DAYS)
            certify(made, 4, age)
        for index, made in enumerate(renewed):
            age = RENEWAL_AGES[index % len(RENEWAL_AGES)]
            certify(made, 3, age + RENEWAL_OVERLAP_DAYS)
            certify(made, 3, age)
        for made, age in zip(expiring, expiring_ages, strict=True):
            certify(made, made.stars, age)
        district_order = [d.key for d in DISTRICTS]
        for index, made in enumerate(m for m in plain if m not in expiring):
            age = ROUND_AGES[index % len(ROUND_AGES)] + district_order.index(made.district.key)
            certify(made, made.stars, age)

        revoked = [pair for pair in self.lapsed if pair[1].revocation_reason]
        expired = [pair for pair in self.lapsed if not pair[1].revocation_reason]
        for (made, _lapse), age in zip(expired, EXPIRED_AGES, strict=True):
            certify(made, 3, age)
        for (made, lapse), (age, days_ago) in zip(revoked, REVOKED, strict=True):
            certify(made, 3, age, days_ago, lapse.revocation_reason)

        self._number_certificates(pending)
        _check_expiry(self.day, expiring, self.catalogue.certificates)

    def _number_certificates(self, pending):
        """Decisions group the products an authority certified on one day; numbers run per authority."""
        serials: Counter = Counter()
        authorities = [PROVINCE_AUTHORITY] + [_district_authority(d) for d in DISTRICTS]
        for index, (product, stars, decided, revoked_at, reason, district) in enumerate(
                sorted(pending, key=lambda entry: entry[2])):
            # Before July 2025 each district's people's committee certified 3★; the province certifies the rest.
            if stars == 3 and decided <= DISTRICTS_CERTIFIED_UNTIL:
                authority, level = _district_authority(district), CertificationLevel.DISTRICT
            else:
                authority, level = PROVINCE_AUTHORITY, CertificationLevel.PROVINCE
            serials[authority] += 1
            decision = (decided.timetuple().tm_yday * 7 + authorities.index(authority) * 131) % 2400 + 100
            score = 50 + index * 7 % 20 if stars == 3 else 70 + index * 5 % 16
            valid_until = default_valid_until(decided)
            breaches = check_certificate(stars=stars, score=score, level=level, decision_date=decided,
                                         valid_until=valid_until, today=self.day)
            if breaches:  # the demo shows the office's rules; it never makes what the office's form refuses
                raise ValueError(f"demo certificate of {product.name_vi}: {[b.message for b in breaches]}")
            certificate = Certificate(
                product=product, number=f"{serials[authority]:03d}/{decided.year}/OCOP", stars=stars,
                score=score, decision_number=f"{decision}/QĐ-UBND", decision_date=decided, authority=authority,
                level=level, valid_from=decided, valid_until=valid_until,
                revoked_at=revoked_at, revocation_reason=reason)
            self.catalogue.certificates.append(certificate)
            first_listed = _local_morning_utc(decided - timedelta(days=30))
            if product.created_at is None or first_listed < product.created_at:
                product.created_at = product.updated_at = first_listed
                product.producer.created_at = min(product.producer.created_at or first_listed, first_listed)

    def _producer_story(self, producer: Producer) -> tuple[str, str]:
        template = self.made_by[id(producer)][0].trade.producer_story
        # Founded a few years before its first product was certified.
        founded = producer.created_at.year - 3 - len(producer.name) % 9
        area = producer.area
        return (template.vi.format(producer=producer.name, year=founded,
                                   commune=f"{COMMUNE_TITLES[area.kind]} {area.name}"),
                template.en.format(producer=producer.name, year=founded,
                                   commune=f"{area.name} {COMMUNE_TITLES_EN[area.kind]}"))

    def _sales_points(self):
        for place in SALES_POINTS:
            area = self.communes[place.commune][0]
            state = place.funding is Funding.STATE_SUPPORTED
            point = SalesPoint(
                slug=slugify(place.name_vi), name_vi=place.name_vi, name_en=place.name_en,
                address=f"{place.street}, {COMMUNE_TITLES[area.kind]} {area.name}, tỉnh {PROVINCE_NAME}",
                area=area, latitude=place.latitude, longitude=place.longitude,
                opening_hours_vi=place.hours_note_vi, opening_hours_en=place.hours_note_en or None, phone=place.phone,
                funding=place.funding,
                description_vi=("Điểm được nhà nước hỗ trợ xây dựng, trưng bày và bán sản phẩm OCOP 3–4 sao của "
                                "các địa phương trong tỉnh." if state else
                                "Điểm do doanh nghiệp địa phương đầu tư theo hình thức xã hội hóa, bán sản phẩm "
                                "OCOP cùng đặc sản Quảng Ngãi."),
                description_en=("A state-supported point that shows and sells 3★ and 4★ OCOP products from "
                                "across the province." if state else
                                "A privately funded point run by a local business, selling OCOP products and "
                                "Quảng Ngãi specialities."),
                is_published=True)
            point.hours = _weekly_hours(place.hours)
            point.exceptions = self._tet_exceptions(state, place.hours)
            point.stock = self._stock(len(self.catalogue.sales_points), area, state)
            self.catalogue.point_pictures.append((point, _point_pictures(point, len(self.catalogue.sales_points))))
            self.catalogue.sales_points.append(point)

    def _tet(self) -> date:
        """The first day of the coming Tết (or of the one under way)."""
        for year in (self.day.year, self.day.year + 1):
            first = date(year, *TET[year])
            if first >= self.day - timedelta(days=3):
                return first
        raise ValueError(f"no Tết date known after {self.day}")

    def _tet_exceptions(self, state: bool, week: tuple) -> list[OpeningException]:
        """State showrooms close from New Year's Eve to the third day; private shops close on the first day,
        open mornings on the second and third, and stay open late the three days before Tết."""
        first = self._tet()
        closed_vi, closed_en = "Nghỉ Tết Nguyên Đán", "Closed for Tết (Lunar New Year)"
        rows = []
        if state:
            for offset in range(-1, 3):
                rows.append(OpeningException(day=first + timedelta(days=offset), closed=True, note_vi=closed_vi,
                                             note_en=closed_en))
            return rows
        for offset in (-3, -2):
            rows.append(OpeningException(day=first + timedelta(days=offset), closed=False, opens=parse_time("06:00"),
                                         closes=parse_time("23:00"), note_vi="Mở thêm giờ mua sắm Tết",
                                         note_en="Longer hours for Tết shopping"))
        rows.append(OpeningException(day=first, closed=True, note_vi=closed_vi, note_en=closed_en))
        for offset in (1, 2):
            rows.append(OpeningException(day=first + timedelta(days=offset), closed=False, opens=parse_time("08:00"),
                                         closes=parse_time("12:00"), note_vi="Mở buổi sáng ngày Tết",
                                         note_en="Mornings only during Tết"))
        return rows

    def _stock(self, index: int, area: Area, state: bool) -> list[SalesPointStock]:
        """The provincial showroom carries the best of the province; a district's showroom its district's
        products and a few famous ones; a private shop a few dozen best sellers. State showrooms publish
        their quantities."""
        rng = random.Random(index * 7919)
        sellable = [m for m in self.certified if m.line.group is not ProductGroup.TOURISM]
        district_key = next(d.key for d in DISTRICTS if any(c.name == area.name for c in d.communes))
        local = [m for m in sellable if m.district.key == district_key]
        famous = [m for m in sellable if m.stars == 4 or m.line.typical]
        if index == 0:
            chosen = famous + rng.sample([m for m in sellable if m not in famous], 30)
        elif state:
            chosen = local + rng.sample(famous, min(10, len(famous)))
        else:
            chosen = local[:8] + rng.sample(sellable, 20)
        chosen = list(dict.fromkeys(chosen))
        return [SalesPointStock(product=m.product, quantity=(rng.choice((0, 4, 12, 25, 40, 60)) if state else None))
                for m in chosen]

    def _destinations(self):
        first = self._tet()
        for made in self.certified:
            place = DESTINATIONS.get(made.line.key)
            if place is None:
                continue
            destination = Destination(product=made.product, address=place.address_vi, area=made.product.producer.area,
                                      latitude=place.latitude, longitude=place.longitude, phone=place.phone)
            destination.hours = _weekly_hours(place.hours)
            destination.exceptions = [OpeningException(day=first, closed=True, note_vi="Nghỉ mùng 1 Tết",
                                                       note_en="Closed on the first day of Tết")]
            destination.exceptions += [
                OpeningException(day=first + timedelta(days=offset), closed=False, opens=parse_time("07:00"),
                                 closes=parse_time("21:00"), note_vi="Giờ lễ hội mùa xuân",
                                 note_en="Spring festival hours") for offset in (1, 2, 3)]
            self.catalogue.destinations.append(destination)


def _point_pictures(point: SalesPoint, index: int) -> list[Picture]:
    """The shop front of every point, its name on the sign and its own awning colour; the provincial showroom
    (the first and largest) shows its shelves inside too."""
    pictures = [Picture(f"shop_front:{point.slug}", "shop_front", str(index), ProductGroup.FOOD, point.name_vi, "",
                        Text(f"Mặt tiền {point.name_vi}: biển tên phía trên mái hiên sọc, tủ kính bày sản phẩm OCOP "
                             "hai bên cửa ra vào (tranh minh họa)",
                             f"The shop front of {point.name_en or point.name_vi}: the name board above a striped "
                             "awning, windows of OCOP products either side of the door (illustration)"))]
    if index == 0:
        pictures.append(Picture(f"shop_interior:{point.slug}", "shop_interior", str(index), ProductGroup.FOOD,
                                point.name_vi, "",
                                Text("Bên trong điểm bán: kệ hàng sản phẩm OCOP dọc tường và quầy thu ngân "
                                     "(tranh minh họa)",
                                     "Inside the showroom: shelves of OCOP products along the walls and the counter "
                                     "(illustration)")))
    return pictures


def _weekly_hours(week: tuple) -> list[OpeningHours]:
    rows = []
    for first, last, *intervals in week:
        for weekday in range(first, last + 1):
            for interval in intervals:
                opens, closes = (parse_time(part) for part in interval.split("–"))
                rows.append(OpeningHours(weekday=weekday, opens=opens, closes=closes))
    return rows


def _district_authority(district: District) -> str:
    return f"UBND {DISTRICT_TITLES[district.kind][0]} {district.name}"


def _local_morning_utc(day: date) -> datetime:
    """09:00 in Quảng Ngãi on `day`, as the naive UTC the database stores."""
    return datetime.combine(day, time(9), LOCAL_TZ).astimezone(timezone.utc).replace(tzinfo=None)


def _check_expiry(day: date, expiring: list[_Made], certificates: list[Certificate]):
    days_left = sorted((c.valid_until - day).days for c in certificates
                       if any(c.product is m.product for m in expiring))
    soon = [d for d in days_left if 0 <= d <= 30]
    later = [d for d in days_left if 30 < d <= 90]
    if (len(soon), len(later)) != (roster.EXPIRING_WITHIN_30_DAYS, roster.EXPIRING_WITHIN_90_DAYS):
        raise ValueError(f"expiring certificates have {days_left} days left")


def _check_figures(certified: list[_Made], producers: list[Producer]):
    """The demo exists to show the province's figures: refuse to build anything else."""
    four_star = sum(m.stars == 4 for m in certified)
    online = sum(m.product.sold_online for m in certified)
    types = Counter(p.type for p in producers)
    expected_types = {t: n for t, n in roster.EXPECTED_PRODUCERS.items() if n}
    problems = []
    if len(certified) != roster.EXPECTED_CERTIFIED or four_star != roster.EXPECTED_FOUR_STAR:
        problems.append(f"{len(certified)} certified products, {four_star} of them 4★")
    if online != roster.EXPECTED_SOLD_ONLINE:
        problems.append(f"{online} certified products sold online")
    if dict(types) != expected_types:
        problems.append(f"producers by type {dict(types)}")
    if problems:
        raise ValueError("the demo roster does not match the province's figures: " + "; ".join(problems))


def _check_unique(catalogue: DemoCatalogue):
    for kind, values in (("product name", [p.name_vi for p in catalogue.products]),
                         ("product slug", [p.slug for p in catalogue.products]),
                         ("producer slug", [p.slug for p in catalogue.producers]),
                         ("area slug", [a.slug for a in catalogue.areas]),
                         ("sales point slug", [s.slug for s in catalogue.sales_points])):
        repeated = [value for value, count in Counter(values).items() if count > 1]
        if repeated:
            raise ValueError(f"repeated {kind}: {repeated}")
