"""Reading the catalogue's filters from a query string, strictly: an unknown value is a 400."""
import re
from dataclasses import dataclass, replace

from werkzeug.datastructures import MultiDict

from ..text import whole_number
from .models import ProducerType, ProductGroup

SORTS = ("featured", "price_asc", "price_desc", "newest", "name")
MAX_PRICE = 1_000_000_000
MAX_PAGE = 10_000
MAX_VALUE_LENGTH = 100
# Other parameters (utm_source…) are ignored, not refused: links shared on social networks carry them.
PARAMETERS = {"stars", "group", "district", "type", "online", "min_price", "max_price", "sort", "page",
              "per_page"}


class BadFilter(ValueError):
    """A filter value the catalogue does not know; the message names the parameter."""


@dataclass(frozen=True)
class CatalogueFilters:
    stars: tuple[int, ...] = ()
    groups: tuple[int, ...] = ()
    districts: tuple[str, ...] = ()
    producer_types: tuple[str, ...] = ()
    sold_online: bool = False
    min_price: int | None = None
    max_price: int | None = None
    sort: str = "featured"
    page: int = 1
    per_page: int = 24

    @classmethod
    def parse(cls, args: MultiDict, district_slugs, per_page: int = 24,
              max_per_page: int = 100) -> "CatalogueFilters":
        for name, value in args.items(multi=True):
            if name in PARAMETERS and len(value) > MAX_VALUE_LENGTH:
                raise BadFilter(name)
        filters = cls(
            stars=_choices(args, "stars", {"3": 3, "4": 4, "5": 5}),
            groups=_choices(args, "group", {str(g.value): g.value for g in ProductGroup}),
            districts=_choices(args, "district", {slug: slug for slug in district_slugs}),
            producer_types=_choices(args, "type", {t.value: t.value for t in ProducerType}),
            sold_online=_flag(args, "online"),
            min_price=_price(args, "min_price"),
            max_price=_price(args, "max_price"),
            sort=(_choices(args, "sort", {s: s for s in SORTS}) or ("featured",))[-1],
            page=_integer(args, "page", 1, MAX_PAGE) or 1,
            per_page=_integer(args, "per_page", 1, max_per_page) or per_page,
        )
        if filters.min_price is not None and filters.max_price is not None \
                and filters.min_price > filters.max_price:
            # Typed the other way round: the products between the two prices.
            filters = replace(filters, min_price=filters.max_price, max_price=filters.min_price)
        return filters

    def with_page(self, page: int) -> "CatalogueFilters":
        return replace(self, page=page)

    @property
    def is_filtered(self) -> bool:
        return bool(self.stars or self.groups or self.districts or self.producer_types or self.sold_online
                    or self.min_price is not None or self.max_price is not None)


def _choices(args, name, allowed: dict) -> tuple:
    values = []
    for raw in args.getlist(name):
        if raw == "":
            continue
        if raw not in allowed:
            raise BadFilter(name)
        if allowed[raw] not in values:
            values.append(allowed[raw])
    return tuple(values)


def _flag(args, name) -> bool:
    raw = args.get(name, "")
    if raw not in ("", "0", "1"):
        raise BadFilter(name)
    return raw == "1"


def _integer(args, name, lowest, highest) -> int | None:
    raw = args.get(name, "").strip()
    if raw == "":
        return None
    number = whole_number(raw, lowest, highest)
    if number is None:
        raise BadFilter(name)
    return number


def _price(args, name) -> int | None:
    """A price as people type it: "150000", "150.000", "150,000 ₫", "150000đ"; above MAX_PRICE counts as
    MAX_PRICE (a bound that high filters nothing out)."""
    raw = args.get(name, "")
    digits = re.sub(r"[\s.,₫đĐ]|vnd|VND", "", raw)
    if digits == "":
        return None
    if not re.fullmatch(r"[0-9]+", digits):
        raise BadFilter(name)
    return MAX_PRICE if len(digits) > 12 else min(int(digits), MAX_PRICE)
