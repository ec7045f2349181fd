"""Delivery quotes: the fee and the delivery time of a zone for a cart's subtotal, and the dates they give."""
from dataclasses import dataclass
from functools import cache
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _, ngettext
from vietnam_provinces import Province

from ..addresses.units import HOME_PROVINCE, commune_named, province_named
from ..i18n import format_vnd
from ..text import sort_key
from .rates import Rates
from .zones import ZONE_AREAS, ZONE_NAMES, Zone, islands_of, zone_for


def rates() -> Rates:
    """The rates read and checked at start-up (shipping.init_app)."""
    return current_app.extensions["shipping_rates"]


@dataclass(frozen=True)
class Quote:
    zone: Zone
    fee: int  # what the order is charged
    zone_fee: int  # the zone's fee, before the free-delivery threshold
    min_days: int
    max_days: int
    free_from: int | None  # the subtotal from which this zone is delivered free, if any

    @property
    def zone_name(self) -> str:
        return str(ZONE_NAMES[self.zone])

    @property
    def days_text(self) -> str:
        return days_text(self.min_days, self.max_days)

    def window(self, ordered_on: date) -> tuple[date, date]:
        """The earliest and latest delivery dates of an order placed on `ordered_on` (calendar days)."""
        return ordered_on + timedelta(days=self.min_days), ordered_on + timedelta(days=self.max_days)


def quote(zone: Zone, subtotal: int | None = None) -> Quote:
    """The quote of `zone`; with a subtotal, free when the threshold covers it."""
    all_rates = rates()
    rate = all_rates.zones[zone]
    free_from = all_rates.free_from if rate.free_over_threshold else None
    free = free_from is not None and subtotal is not None and subtotal >= free_from
    return Quote(zone, 0 if free else rate.fee, rate.fee, rate.min_days, rate.max_days, free_from)


def quote_for_address(province_text, commune_text=None, subtotal: int | None = None) -> Quote | None:
    """The quote of an address as typed or chosen; None when the province is not one of Vietnam's."""
    province = province_named(province_text)
    zone = zone_for(province, commune_named(province, commune_text))
    return quote(zone, subtotal) if zone else None


@dataclass(frozen=True)
class ProvinceQuote:
    """What a product page or the cart says of delivery to a province: its own zone's quote, and its islands'."""
    province: object
    quote: Quote
    islands: list  # [(commune, Quote)]

    @property
    def province_name(self) -> str:
        return self.province.name


def province_quote(province, subtotal: int | None = None) -> ProvinceQuote:
    province = province or HOME_PROVINCE
    island_quote = quote(Zone.ISLAND, subtotal)
    return ProvinceQuote(province, quote(zone_for(province), subtotal),
                         [(commune, island_quote) for commune in islands_of(province)])


def lowest_fee() -> int:
    return rates().lowest_fee()


def free_from() -> int | None:
    return rates().free_from


def days_text(fewest: int, most: int) -> str:
    """"2–3 days", "1 day"."""
    if fewest == most:
        return ngettext("%(num)s day", "%(num)s days", most)
    return _("%(fewest)s–%(most)s days", fewest=fewest, most=most)


def window_text(earliest: date | None, latest: date | None) -> str:
    """"12–14/12", "30/11–2/12", "31/12/2025–2/1/2026": day/month as dates are written in Vietnam."""
    if earliest is None or latest is None:
        return ""
    if earliest == latest:
        return f"{earliest.day}/{earliest.month}"
    if earliest.year != latest.year:
        return f"{earliest.day}/{earliest.month}/{earliest.year}–{latest.day}/{latest.month}/{latest.year}"
    if earliest.month != latest.month:
        return f"{earliest.day}/{earliest.month}–{latest.day}/{latest.month}"
    return f"{earliest.day}–{latest.day}/{latest.month}"


def short_name(province) -> str:
    """"Hồ Chí Minh" for Thành phố Hồ Chí Minh: how a list or a sentence names a province."""
    return province.name.removeprefix("Thành phố ")


def provinces() -> list:
    """The 34 provinces and cities, in the order a Vietnamese reader looks for them."""
    return list(_sorted_provinces())


@cache
def _sorted_provinces() -> tuple:
    # A fixed list (the package's data): sorted once per process, not on every product page.
    return tuple(sorted(Province.iter_all(), key=lambda province: sort_key(short_name(province))))


def province_by_codename(codename) -> object | None:
    return _BY_CODENAME.get(codename) if isinstance(codename, str) else None


_BY_CODENAME = {province.codename: province for province in Province.iter_all()}


def free_delivery_note() -> str:
    """"Delivery is free from 500.000 ₫ of products (except to islands)." or "" when it never is."""
    all_rates = rates()
    if all_rates.free_from is None:
        return ""
    paying = [zone for zone, rate in all_rates.zones.items() if not rate.free_over_threshold]
    threshold = format_vnd(all_rates.free_from)
    if not paying:
        return _("Delivery is free from %(threshold)s of products.", threshold=threshold)
    if paying == [Zone.ISLAND]:
        return _("Delivery is free from %(threshold)s of products, except to the islands.", threshold=threshold)
    return _("Delivery is free from %(threshold)s of products, except: %(zones)s.", threshold=threshold,
             zones=", ".join(str(ZONE_NAMES[zone]) for zone in paying))


def zone_name(value: str | None) -> str:
    """The name of a zone as an order stores it ("neighbour"); "" for none or a value no longer known."""
    try:
        return str(ZONE_NAMES[Zone(value)]) if value else ""
    except ValueError:
        return ""


# The states in which an order is still on its way to the shopper: its delivery estimate is worth showing.
def order_estimate(order) -> str:
    """"12–14/12" for a delivery order on its way; "" for pickup, an older order or one done with."""
    if order.delivery_earliest is None or order.status.value not in ("awaiting_payment", "confirmed", "paid",
                                                                      "shipped"):
        return ""
    return window_text(order.delivery_earliest, order.delivery_latest)


@dataclass(frozen=True)
class ZoneLine:
    name: str
    area: str
    fee: int
    days_text: str
    free_over_threshold: bool


def zone_table() -> list[ZoneLine]:
    """Each zone, where it is, its fee and its delivery time: the shipping policy's table."""
    return [ZoneLine(str(ZONE_NAMES[zone]), str(ZONE_AREAS[zone]), rate.fee, days_text(rate.min_days, rate.max_days),
                     rate.free_over_threshold) for zone, rate in rates().zones.items()]
