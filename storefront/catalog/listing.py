"""The catalogue's listing as a per-worker read model.

One narrow row per product certified and published today, built by a single query whenever the
public content or the day changes (pagecache.derived). Filtering, facet counts, sorting and paging
then run in memory, so a catalogue page never scans the whole catalogue in the database: only the
page's own products are loaded. Certification is still derived from dates, when the rows are built.
"""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ..areas.models import Area
from ..certification.queries import certified_products
from ..clock import today
from ..extensions import db
from ..pagecache import derived
from ..text import sort_key
from .forms import CatalogueFilters
from .models import Producer


@dataclass(frozen=True, slots=True)
class ListedProduct:
    id: int
    stars: int
    group: int
    district: str | None
    producer_type: str
    producer_id: int
    price: int | None
    sold_online: bool
    name_key: tuple
    created_at: datetime


FACETS = ("stars", "group", "district", "type")
_FACET_VALUE = {
    "stars": lambda row: row.stars,
    "group": lambda row: row.group,
    "district": lambda row: row.district,
    "type": lambda row: row.producer_type,
}
_NO_PRICE = float("inf")
_ORDERINGS = {
    "featured": lambda row: (-row.stars, row.name_key, row.id),
    "price_asc": lambda row: (row.price if row.price is not None else _NO_PRICE, row.name_key, row.id),
    "price_desc": lambda row: (row.price is None, -(row.price or 0), row.name_key, row.id),
    "newest": lambda row: (-row.created_at.timestamp(), row.id),
    "name": lambda row: (row.name_key, row.id),
}


def _bitset(positions, size: int) -> int:
    """An int whose bit i is set for every position i: filters become & and |, counts bit_count()."""
    bits = bytearray(size // 8 + 1)
    for position in positions:
        bits[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(bits, "little")


class Listing:
    """The rows in 'featured' order, with a bitset per facet value and every ordering sorted once."""

    def __init__(self, rows: list[ListedProduct]):
        self.rows = sorted(rows, key=_ORDERINGS["featured"])
        size = len(self.rows)
        self.everything = (1 << size) - 1
        positions: dict[str, dict] = {name: {} for name in FACETS}
        for index, row in enumerate(self.rows):
            for name in FACETS:
                positions[name].setdefault(_FACET_VALUE[name](row), []).append(index)
        self.masks = {name: {value: _bitset(found, size) for value, found in values.items()}
                      for name, values in positions.items()}
        self.online = _bitset((i for i, row in enumerate(self.rows) if row.sold_online), size)
        # Each key computed once per row, then the positions sorted by it (list.__getitem__ is C code).
        self.orders = {sort: sorted(range(size), key=[key(row) for row in self.rows].__getitem__)
                       for sort, key in _ORDERINGS.items()}
        self.position = {row.id: index for index, row in enumerate(self.rows)}
        self.by_producer: dict[int, list[ListedProduct]] = {}
        for row in self.rows:
            self.by_producer.setdefault(row.producer_id, []).append(row)

    def mask_of(self, product_ids) -> int:
        """The bitset of these products (those not listed today are left out)."""
        return _bitset((self.position[i] for i in product_ids if i in self.position), len(self.rows))

    def mask(self, filters: CatalogueFilters, skip: str | None = None, within: int | None = None) -> int:
        mask = self.everything if within is None else within
        chosen = {"stars": filters.stars, "group": filters.groups, "district": filters.districts,
                  "type": filters.producer_types}
        for name, values in chosen.items():
            if values and name != skip:
                either = 0
                for value in values:
                    either |= self.masks[name].get(value, 0)
                mask &= either
        if filters.sold_online:
            mask &= self.online
        if filters.min_price is not None or filters.max_price is not None:
            lowest = filters.min_price if filters.min_price is not None else 0
            highest = filters.max_price if filters.max_price is not None else _NO_PRICE
            mask &= _bitset((i for i, row in enumerate(self.rows)
                             if row.price is not None and lowest <= row.price <= highest), len(self.rows))
        return mask

    def count(self, filters: CatalogueFilters) -> int:
        return self.mask(filters).bit_count()

    def members(self, mask: int) -> bytes:
        return self._bytes(mask)

    def page(self, filters: CatalogueFilters, start: int, size: int) -> list[ListedProduct]:
        """Rows start … start+size of the matching rows, in the filters' sort order."""
        bits, found, wanted = self._bytes(self.mask(filters)), [], start + size
        for index in self.orders[filters.sort]:
            if bits[index >> 3] >> (index & 7) & 1:
                found.append(index)
                if len(found) == wanted:
                    break
        return [self.rows[i] for i in found[start:]]

    def facets(self, filters: CatalogueFilters, within: int | None = None) -> dict[str, dict]:
        """Counts per value of each facet, each counted with all the other filters applied."""
        counts = {}
        for name in FACETS:
            others = self.mask(filters, skip=name, within=within)
            counts[name] = {value: (others & values).bit_count() for value, values in self.masks[name].items()}
        return counts

    def in_group(self, group: int):
        """Rows of a product group, best stars first (a generator: callers usually want a few)."""
        bits = self._bytes(self.masks["group"].get(group, 0))
        return (row for index, row in enumerate(self.rows) if bits[index >> 3] >> (index & 7) & 1)

    def _bytes(self, mask: int) -> bytes:
        # Testing bit i of a bytes object is O(1); shifting a 20,000-bit int is not.
        return mask.to_bytes(len(self.rows) // 8 + 1, "little")


def build_listing(day: date | None = None) -> Listing:
    listed, certification = certified_products(day)
    listed = listed.subquery("listed")
    commune, district = Area.__table__.alias("commune"), Area.__table__.alias("district")
    rows = db.session.execute(
        select(listed.c.id, listed.c.stars, listed.c.group, district.c.slug, Producer.type,
               listed.c.producer_id, listed.c.price, listed.c.sold_online, listed.c.name_vi,
               listed.c.created_at)
        .join(Producer, Producer.id == listed.c.producer_id)
        .join(commune, commune.c.id == Producer.area_id)
        .outerjoin(district, district.c.id == commune.c.parent_id))
    return Listing([
        ListedProduct(id=id_, stars=stars, group=group, district=district_slug,
                      producer_type=producer_type.value, producer_id=producer_id, price=price,
                      sold_online=sold_online, name_key=sort_key(name), created_at=created_at)
        for id_, stars, group, district_slug, producer_type, producer_id, price, sold_online, name, created_at
        in rows])


def current_listing() -> Listing:
    """Today's listing, shared by every request of this worker until the content changes."""
    return derived("catalog.listing", lambda: build_listing(today()))


