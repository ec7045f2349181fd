"""Reads of the locator: a per-worker read model of every place a visitor can go to.

The sales points and the destinations (the places of OCOP tourism products, group 6), with their
opening hours, their certified stock and their areas, are read by a handful of queries whenever the
public content or the day changes (pagecache.derived). Filtering, measuring distances (haversine) and
sorting then run in memory on the server, so a list sorted from any position costs no query.
"""
import bisect
import heapq
import math
from collections.abc import Sequence
from operator import itemgetter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import g, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..areas.models import Area, AreaLevel
from ..catalog.listing import current_listing
from ..catalog.models import Producer, Product
from ..clock import LOCAL_TZ, today
from ..extensions import db
from ..media.models import MediaImage
from ..pagecache import derived
from ..text import sort_key
from . import gazetteer
from .gazetteer import NamedPlace, UnknownPlace
from .geo import EARTH_RADIUS_KM, Position
from .hours import Schedule, schedule_from_rows
from .models import (Destination, Funding, OpeningException, OpeningHours, SalesPoint, SalesPointPhoto, SalesPointStock,
                     VisitRequest, default_photo_alt)

SALES_POINT, DESTINATION = "sales_point", "destination"


@dataclass(frozen=True, slots=True)
class AreaRef:
    """What the templates need of an area (area_name() reads kind and name)."""

    slug: str
    name: str
    kind: object
    parent: "AreaRef | None" = None


@dataclass(frozen=True, slots=True)
class StockedProduct:
    id: int
    slug: str
    name_vi: str
    name_en: str | None
    group: int
    stars: int


@dataclass(frozen=True, slots=True)
class ImageRef:
    """What the templates need of a MediaImage (rendition_url, srcset, picture(), a page's share image)."""

    key: str
    width: int
    height: int
    widths: tuple[int, ...]

    def height_for(self, width: int) -> int:
        return round(self.height * width / self.width)


@dataclass(frozen=True, slots=True)
class PlacePhoto:
    """A photo of a sales point, its descriptions written out in both languages (the default filled in)."""

    image: ImageRef
    alt_vi: str
    alt_en: str


@dataclass(frozen=True, slots=True)
class Place:
    """A sales point, or the destination of a tourism product, as the locator shows it."""

    kind: str
    id: int
    slug: str  # the sales point's slug, or the tourism product's
    name_vi: str
    name_en: str | None
    address: str
    area: AreaRef
    latitude: float
    longitude: float
    phone: str | None
    schedule: Schedule
    products: tuple[StockedProduct, ...]  # certified today: what a point stocks, or the destination's product
    quantities: dict  # product id → quantity, when the point publishes one
    funding: Funding | None = None
    hours_note_vi: str = ""
    hours_note_en: str | None = None
    description_vi: str = ""
    description_en: str | None = None
    producer_name: str | None = None
    producer_slug: str | None = None
    stars: int | None = None
    photos: tuple[PlacePhoto, ...] = ()  # a sales point's, in the office's order
    name_key: tuple = ()
    groups: frozenset = frozenset()
    # Sines and cosines of half the latitude and longitude, and the latitude's cosine: sorting many places
    # by haversine then takes no trigonometry per place (sin(x − y) = sin x cos y − cos x sin y).
    trig: tuple = ()

    def __post_init__(self):
        phi, lam = math.radians(self.latitude), math.radians(self.longitude)
        object.__setattr__(self, "trig", (math.sin(phi / 2), math.cos(phi / 2), math.sin(lam / 2), math.cos(lam / 2),
                                          math.cos(phi)))

    @property
    def district(self) -> AreaRef | None:
        return self.area.parent

    def distance_km(self, position: Position | None) -> float | None:
        return None if position is None else position.distance_km(self.latitude, self.longitude)


@dataclass
class Locator:
    sales_points: list[Place] = field(default_factory=list)  # in name order
    destinations: list[Place] = field(default_factory=list)  # in name order
    by_slug: dict = field(default_factory=dict)  # (kind, slug) → Place
    points_by_product: dict = field(default_factory=dict)  # product id → [sales points stocking it]
    stocked_products: dict = field(default_factory=dict)  # slug → StockedProduct (stocked somewhere)
    districts: list[AreaRef] = field(default_factory=list)  # former districts with a place, by name
    communes: list[AreaRef] = field(default_factory=list)  # communes with a place, by name
    named_places: list[NamedPlace] = field(default_factory=list)
    changes: dict = field(default_factory=dict)  # day → sorted local datetimes when some place opens or closes
    # Rendered pieces of the pages (a place's card in a language and an opening state…), rebuilt with the model.
    fragments: dict = field(default_factory=dict)

    @property
    def filter_values(self) -> tuple[set, set, set]:
        """The district, commune and product slugs a filter may name."""
        if "filter_values" not in self.fragments:
            self.fragments["filter_values"] = ({d.slug for d in self.districts}, {c.slug for c in self.communes},
                                               set(self.stocked_products) | {p.slug for p in self.destinations})
        return self.fragments["filter_values"]

    def status(self, place: Place, now: datetime):
        """place.schedule.status_at(now), kept until the place next opens or closes."""
        return self.opening_state(place, now)[0]

    def opening_state(self, place: Place, now: datetime) -> tuple:
        """(status, since, until, cards by language): the place's status at `now`, what stays true until it
        next opens or closes, with the cards rendered for that state."""
        key = ("status", place.kind, place.id)
        known = self.fragments.get(key)
        if known is not None and known[1] <= now < known[2] and known[1].date() == now.date():
            return known
        status = place.schedule.status_at(now)
        change = status.until if status.is_open else status.next_opening
        known = self.fragments[key] = (status, now, change or now + timedelta(minutes=1), {})
        return known

    def grid(self, kind: str) -> "Grid":
        key = ("grid", kind)
        if key not in self.fragments:
            self.fragments[key] = Grid(self.places(kind))
        return self.fragments[key]

    def places(self, kind: str) -> list[Place]:
        return self.sales_points if kind == SALES_POINT else self.destinations

    def next_change_after(self, moment: datetime) -> datetime | None:
        """The first moment after `moment` (naive local) when some place opens or closes: until then every
        open-now badge stays right."""
        for day in (moment.date(), moment.date() + timedelta(days=1)):
            if day not in self.changes:
                self.changes[day] = _changes_on(day, self.sales_points + self.destinations)
            times = self.changes[day]
            index = bisect.bisect_right(times, moment)
            if index < len(times):
                return times[index]
        return None


def current_locator() -> Locator:
    """Today's read model, shared by every request of this worker until the content changes (and looked
    up once per request)."""
    if has_request_context():
        locator = g.get("locator_model")
        if locator is None:
            locator = g.locator_model = derived("locator", lambda: build_locator(today()))
        return locator
    return derived("locator", lambda: build_locator(today()))


def build_locator(day: date) -> Locator:
    listed = {row.id: row for row in current_listing().rows} if day == today() else _listed_on(day)
    areas = {area.id: area for area in db.session.scalars(select(Area))}
    refs: dict[int, AreaRef] = {}

    def ref(area_id: int) -> AreaRef:
        if area_id not in refs:
            area = areas[area_id]
            parent = ref(area.parent_id) if area.parent_id and areas[area.parent_id].level != AreaLevel.PROVINCE \
                else None
            refs[area_id] = AreaRef(area.slug, area.name, area.kind, parent)
        return refs[area_id]

    hours: dict[tuple[str, int], list] = {}
    for row in db.session.scalars(select(OpeningHours)):
        owner = (SALES_POINT, row.sales_point_id) if row.sales_point_id else (DESTINATION, row.destination_id)
        hours.setdefault(owner, []).append(row)
    exceptions: dict[tuple[str, int], list] = {}
    # Exceptions of the past are history: a fortnight back is enough for a place open past midnight.
    for row in db.session.scalars(select(OpeningException).where(OpeningException.day >= day - timedelta(days=1))):
        owner = (SALES_POINT, row.sales_point_id) if row.sales_point_id else (DESTINATION, row.destination_id)
        exceptions.setdefault(owner, []).append(row)

    stock_rows = db.session.execute(select(SalesPointStock.sales_point_id, SalesPointStock.product_id,
                                           SalesPointStock.quantity)).all()
    wanted = {product_id for _, product_id, _ in stock_rows if product_id in listed}
    destination_rows = db.session.execute(
        select(Destination, Product.slug, Product.name_vi, Product.name_en, Product.group, Product.description_vi,
               Product.description_en, Producer.name, Producer.slug, Producer.phone)
        .join(Product, Product.id == Destination.product_id).join(Producer, Producer.id == Product.producer_id)
        .where(Product.is_published.is_(True))).all()
    wanted |= {row[0].product_id for row in destination_rows if row[0].product_id in listed}
    products: dict[int, StockedProduct] = {}
    for chunk in _chunks(sorted(wanted), 5000):
        for id_, slug, name_vi, name_en, group in db.session.execute(
                select(Product.id, Product.slug, Product.name_vi, Product.name_en, Product.group)
                .where(Product.id.in_(chunk))):
            products[id_] = StockedProduct(id_, slug, name_vi, name_en, group, listed[id_].stars)

    stock: dict[int, list] = {}
    for point_id, product_id, quantity in stock_rows:
        if product_id in products:
            stock.setdefault(point_id, []).append((products[product_id], quantity))

    photo_rows: dict[int, list] = {}
    for row in db.session.execute(
            select(SalesPointPhoto.sales_point_id, SalesPointPhoto.alt_vi, SalesPointPhoto.alt_en, MediaImage.key,
                   MediaImage.width, MediaImage.height, MediaImage.rendition_widths)
            .join(MediaImage, MediaImage.id == SalesPointPhoto.image_id)
            .order_by(SalesPointPhoto.sales_point_id, SalesPointPhoto.position, SalesPointPhoto.id)):
        photo_rows.setdefault(row.sales_point_id, []).append(row)

    locator = Locator()
    for point in db.session.scalars(select(SalesPoint).where(SalesPoint.is_published.is_(True))):
        carried = sorted(stock.get(point.id, []), key=lambda pair: (-pair[0].stars, sort_key(pair[0].name_vi)))
        owner = (SALES_POINT, point.id)
        locator.sales_points.append(Place(
            SALES_POINT, point.id, point.slug, point.name_vi, point.name_en, point.address, ref(point.area_id),
            point.latitude, point.longitude, point.phone,
            schedule_from_rows(hours.get(owner, []), exceptions.get(owner, [])),
            tuple(product for product, _ in carried),
            {product.id: quantity for product, quantity in carried if quantity is not None},
            funding=point.funding, hours_note_vi=point.opening_hours_vi or "", hours_note_en=point.opening_hours_en,
            description_vi=point.description_vi or "", description_en=point.description_en,
            photos=_place_photos(point, photo_rows.get(point.id, [])),
            name_key=sort_key(point.name_vi), groups=frozenset(product.group for product, _ in carried)))
    for (destination, slug, name_vi, name_en, group, description_vi, description_en, producer_name, producer_slug,
         producer_phone) in destination_rows:
        if destination.product_id not in products:
            continue  # not certified today: not presented as an OCOP destination
        product = products[destination.product_id]
        owner = (DESTINATION, destination.id)
        locator.destinations.append(Place(
            DESTINATION, destination.id, slug, name_vi, name_en, destination.address, ref(destination.area_id),
            destination.latitude, destination.longitude, destination.phone or producer_phone,
            schedule_from_rows(hours.get(owner, []), exceptions.get(owner, [])), (product,), {},
            description_vi=description_vi or "", description_en=description_en, producer_name=producer_name,
            producer_slug=producer_slug, stars=product.stars, name_key=sort_key(name_vi),
            groups=frozenset({group})))
    locator.sales_points.sort(key=lambda place: (place.name_key, place.id))
    locator.destinations.sort(key=lambda place: (place.name_key, place.id))
    for place in locator.sales_points + locator.destinations:
        locator.by_slug[place.kind, place.slug] = place
    for place in locator.sales_points:
        for product in place.products:
            locator.points_by_product.setdefault(product.id, []).append(place)
            locator.stocked_products[product.slug] = product
    everywhere = locator.sales_points + locator.destinations
    locator.districts = sorted({p.district for p in everywhere if p.district}, key=lambda a: sort_key(a.name))
    locator.communes = sorted({p.area for p in everywhere}, key=lambda a: sort_key(a.name))
    locator.named_places = _named_places(areas, ref, everywhere)
    return locator


def _place_photos(point: SalesPoint, rows: list) -> tuple[PlacePhoto, ...]:
    return tuple(
        PlacePhoto(ImageRef(row.key, row.width, row.height, tuple(int(w) for w in row.rendition_widths.split(","))),
                   row.alt_vi or default_photo_alt(point.name_vi, point.name_en, number, "vi"),
                   row.alt_en or default_photo_alt(point.name_vi, point.name_en, number, "en"))
        for number, row in enumerate(rows, 1))


def _listed_on(day: date) -> dict:
    from ..catalog.listing import build_listing

    return {row.id: row for row in build_listing(day).rows}


def _chunks(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _named_places(areas: dict, ref, places: list[Place]) -> list[NamedPlace]:
    """What a visitor may type: communes and former districts with a known centre (their own, or the mean
    of what lies in them), the sales points and destinations by name, and the configured landmarks."""
    inside: dict[int, list[tuple[float, float]]] = {}
    for area in areas.values():
        if area.latitude is not None and area.longitude is not None and area.level == AreaLevel.COMMUNE:
            inside.setdefault(area.parent_id, []).append((area.latitude, area.longitude))
    by_slug = {area.slug: area for area in areas.values()}
    for place in places:
        commune = by_slug[place.area.slug]
        inside.setdefault(commune.id, []).append((place.latitude, place.longitude))
        if commune.parent_id:
            inside.setdefault(commune.parent_id, []).append((place.latitude, place.longitude))
    named = []
    for area in areas.values():
        if area.level not in (AreaLevel.COMMUNE, AreaLevel.FORMER_DISTRICT):
            continue
        if area.latitude is not None and area.longitude is not None:
            position = Position(area.latitude, area.longitude)
        elif inside.get(area.id):
            points = inside[area.id]
            position = Position(sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
        else:
            continue
        named.append(gazetteer.area_place(ref(area.id), area.level, position))
    for place in places:
        named.append(gazetteer.place_place(place.kind, place.name_vi, place.name_en, place.latitude, place.longitude))
    named.extend(gazetteer.landmark_place(landmark) for landmark in gazetteer.configured_landmarks())
    return named


def find_place(text: str, locator: Locator | None = None) -> NamedPlace:
    """The place a visitor typed: a commune or former district, a sales point or destination, a landmark;
    with or without tone marks, kind words or the ends of words."""
    locator = locator or current_locator()
    return gazetteer.find(text, locator.named_places)


@dataclass(frozen=True)
class LocatorFilters:
    district: str | None = None
    commune: str | None = None
    group: int | None = None
    product: str | None = None  # a product slug


NO_FILTERS = LocatorFilters()


def matches(place: Place, filters: LocatorFilters) -> bool:
    if filters.district and (place.district is None or place.district.slug != filters.district):
        return False
    if filters.commune and place.area.slug != filters.commune:
        return False
    if filters.group and filters.group not in place.groups:
        return False
    if filters.product and all(product.slug != filters.product for product in place.products):
        return False
    return True


class Found:
    """A place in a list, with its distance from the visitor when known (worked out when first asked:
    a list sorted from a position needs the kilometres of the one page it shows only)."""

    __slots__ = ("place", "_haversine", "_distance")

    def __init__(self, place: Place, distance_km: float | None = None, haversine: float | None = None):
        self.place, self._distance, self._haversine = place, distance_km, haversine

    @property
    def distance_km(self) -> float | None:
        if self._distance is None and self._haversine is not None:
            self._distance = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(self._haversine)))
        return self._distance


def search(kind: str, filters: LocatorFilters, position: Position | None = None,
           locator: Locator | None = None, needed: int | None = None) -> Sequence:
    """The places of a kind that match, nearest first from `position` (haversine), else in name order.

    With `needed`, only that many nearest are put in order (a page of the list needs no more); the
    result still counts every matching place.
    """
    locator = locator or current_locator()
    places = locator.places(kind)
    if filters != NO_FILTERS:
        places = [place for place in places if matches(place, filters)]
    elif position is not None and needed is not None and needed < len(places):
        nearest = locator.grid(kind).nearest(position, needed)
        if nearest is not None:
            return NearestFirst(nearest, len(places))
    if position is None:
        return [Found(place) for place in places]
    keyed = [(a, place) for a, place in _haversines(position, places)]
    keyed.sort(key=itemgetter(0))  # stable: places as far apart stay in name order
    return NearestFirst(keyed)


def _haversines(position: Position, places):
    """(a, place) for each place, a = sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2): the haversine of the central
    angle, which grows with the distance. Lists sort by it; the distance (2R·asin √a) is finished for the
    places shown."""
    phi, lam = math.radians(position.latitude), math.radians(position.longitude)
    s1, c1, t1, u1, cos1 = math.sin(phi / 2), math.cos(phi / 2), math.sin(lam / 2), math.cos(lam / 2), math.cos(phi)
    for place in places:
        s2, c2, t2, u2, cos2 = place.trig
        half_d_phi, half_d_lam = s2 * c1 - c2 * s1, t2 * u1 - u2 * t1  # sin(Δφ/2), sin(Δλ/2)
        yield half_d_phi * half_d_phi + cos1 * cos2 * half_d_lam * half_d_lam, place


class Grid:
    """The places in cells of CELL degrees, so that the nearest few are found by measuring only the
    places of the cells around a position, ring after ring, until no unmeasured place can be nearer."""

    CELL = 0.05  # about 5.5 km

    def __init__(self, places: list[Place]):
        self.cells: dict[tuple[int, int], list[Place]] = {}
        for place in places:
            self.cells.setdefault(self._cell(place.latitude, place.longitude), []).append(place)
        rows = [i for i, _ in self.cells] or [0]
        columns = [j for _, j in self.cells] or [0]
        self.bounds = (min(rows), max(rows), min(columns), max(columns))

    def _cell(self, latitude: float, longitude: float) -> tuple[int, int]:
        return math.floor(latitude / self.CELL), math.floor(longitude / self.CELL)

    def nearest(self, position: Position, needed: int) -> list | None:
        """(a, place) of the `needed` nearest places, nearest first and then in name order, as a full sort
        orders them; None when the position lies too far from every cell for the rings to pay."""
        i0, j0 = self._cell(position.latitude, position.longitude)
        low_i, high_i, low_j, high_j = self.bounds
        last_ring = max(i0 - low_i, high_i - i0, j0 - low_j, high_j - j0)
        if last_ring > 40:
            return None
        measured: list = []
        cos_phi = math.cos(math.radians(position.latitude))
        for ring in range(last_ring + 1):
            cells = ([(i0, j0)] if ring == 0 else
                     [(i0 + di, j0 + dj) for di in range(-ring, ring + 1) for dj in (-ring, ring)]
                     + [(i0 + di, j0 + dj) for di in (-ring, ring) for dj in range(-ring + 1, ring)])
            for cell in cells:
                places = self.cells.get(cell)
                if places:
                    measured.extend(_haversines(position, places))
            if len(measured) >= needed and ring < last_ring:
                # Any place outside the square searched so far is at least this far (radians): beyond its
                # parallels, or beyond its meridians (the distance to a meridian is asin(cos φ sin Δλ)).
                d_lat = min(position.latitude - (i0 - ring) * self.CELL, (i0 + ring + 1) * self.CELL - position.latitude)
                d_lng = min(position.longitude - (j0 - ring) * self.CELL,
                            (j0 + ring + 1) * self.CELL - position.longitude)
                bound = min(math.radians(d_lat), math.asin(min(1.0, cos_phi * math.sin(math.radians(d_lng)))))
                kth = heapq.nsmallest(needed, (a for a, _ in measured))[-1]
                if kth < math.sin(bound / 2) ** 2:
                    break
        measured.sort(key=lambda row: (row[0], row[1].name_key, row[1].id))
        return measured[:needed]


class NearestFirst(Sequence):
    """Places sorted by distance; a Found is made only for the places a page reads. It may hold only the
    first of `total` places in order (see search's `needed`)."""

    def __init__(self, keyed: list, total: int | None = None):
        self._keyed = keyed
        self._total = len(keyed) if total is None else total

    def __len__(self):
        return self._total

    def __getitem__(self, index):
        if isinstance(index, slice):
            if (index.stop or self._total) > len(self._keyed) and len(self._keyed) < self._total:
                raise IndexError("only the nearest places were put in order")
            return [Found(row[1], haversine=row[0]) for row in self._keyed[index]]
        row = self._keyed[index]
        return Found(row[1], haversine=row[0])


def where_to_buy(product_id: int, position: Position | None = None) -> list[Found]:
    """The sales points that stock a product, nearest first when the position is known."""
    points = current_locator().points_by_product.get(product_id, [])
    found = [Found(place, place.distance_km(position)) for place in points]
    if position is not None:
        found.sort(key=lambda f: (f.distance_km, f.place.name_key))
    return found


def place_by_slug(kind: str, slug: str) -> Place | None:
    return current_locator().by_slug.get((kind, slug))


def now_local() -> datetime:
    """The wall-clock time in Quảng Ngãi, naive (what a Schedule reasons in)."""
    return datetime.now(LOCAL_TZ).replace(tzinfo=None)


def _changes_on(day: date, places: list[Place]) -> list[datetime]:
    midnight = datetime.combine(day, datetime.min.time())
    moments = set()
    for place in places:
        for start_day in (day - timedelta(days=1), day):
            start_midnight = datetime.combine(start_day, datetime.min.time())
            for interval in place.schedule.intervals_on(start_day):
                start = start_midnight + timedelta(minutes=interval.opens)
                for moment in (start, start + timedelta(minutes=interval.length)):
                    if midnight <= moment < midnight + timedelta(days=1):
                        moments.add(moment)
    moments.add(midnight + timedelta(days=1))
    return sorted(moments)


def destination_for_product(product_id: int) -> Destination | None:
    return db.session.scalar(
        select(Destination).where(Destination.product_id == product_id)
        .options(selectinload(Destination.product).selectinload(Product.producer),
                 selectinload(Destination.area).selectinload(Area.parent),
                 selectinload(Destination.hours), selectinload(Destination.exceptions)))


def visit_requests(producer_id: int | None = None, limit: int = 200) -> list[VisitRequest]:
    """The latest visit requests, of one producer's destinations or of all: what the producer and the
    provincial office answer."""
    query = (select(VisitRequest).join(Destination, Destination.id == VisitRequest.destination_id)
             .join(Product, Product.id == Destination.product_id)
             .options(selectinload(VisitRequest.destination).selectinload(Destination.product)
                      .selectinload(Product.producer))
             .order_by(VisitRequest.created_at.desc(), VisitRequest.id.desc()).limit(limit))
    if producer_id is not None:
        query = query.where(Product.producer_id == producer_id)
    return list(db.session.scalars(query))

