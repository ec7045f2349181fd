"""What each zone costs and how long it takes, read from the configuration once, at start-up.

SHIPPING_ZONES (one JSON setting, or a dict in the configuration) changes any part of the defaults:
'{"island": {"fee": 80000, "days": [6, 10]}}' keeps the other zones as they are. A zone has
`fee` (whole đồng), `days` ([fewest, most] calendar days from the order date) and `free_over_threshold`
(whether FREE_SHIPPING_FROM makes it free). Anything else, or a value out of range, stops the shop from
starting with a message naming the setting: a mistyped fee must not reach a shopper.
"""
import json
import os
from dataclasses import dataclass

from .zones import Zone

DEFAULT_ZONES = {
    Zone.HOME.value: {"fee": 20_000, "days": [1, 2], "free_over_threshold": True},
    Zone.NEIGHBOUR.value: {"fee": 30_000, "days": [2, 3], "free_over_threshold": True},
    Zone.COUNTRY.value: {"fee": 40_000, "days": [3, 5], "free_over_threshold": True},
    # A boat and the weather: the free-delivery threshold does not cover the crossing (README).
    Zone.ISLAND.value: {"fee": 60_000, "days": [5, 8], "free_over_threshold": False},
}
MAX_FEE = 10_000_000
MAX_DAYS = 60


class ShippingSettingError(RuntimeError):
    """The delivery settings cannot be used; the shop refuses to start."""


@dataclass(frozen=True)
class ZoneRate:
    fee: int
    min_days: int
    max_days: int
    free_over_threshold: bool


@dataclass(frozen=True)
class Rates:
    zones: dict[Zone, ZoneRate]
    free_from: int | None  # None: delivery is never free

    def lowest_fee(self) -> int:
        return min(rate.fee for rate in self.zones.values())


def _whole(value, lowest: int, highest: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and lowest <= value <= highest


def _zone_rate(name: str, settings) -> ZoneRate:
    where = f"SHIPPING_ZONES: zone {name!r}"
    if not isinstance(settings, dict):
        raise ShippingSettingError(f"{where} must be an object such as {{\"fee\": 30000, \"days\": [2, 3]}}.")
    unknown = set(settings) - {"fee", "days", "free_over_threshold"}
    if unknown:
        raise ShippingSettingError(f"{where} has unknown keys {sorted(unknown)} (known: fee, days, "
                                   f"free_over_threshold).")
    fee, days, free = settings.get("fee"), settings.get("days"), settings.get("free_over_threshold")
    if not _whole(fee, 0, MAX_FEE):
        raise ShippingSettingError(f"{where}: fee must be a whole number of đồng from 0 to {MAX_FEE}, "
                                   f"not {fee!r}.")
    if not (isinstance(days, (list, tuple)) and len(days) == 2 and all(_whole(d, 0, MAX_DAYS) for d in days)
            and days[0] <= days[1]):
        raise ShippingSettingError(f"{where}: days must be [fewest, most], whole days from 0 to {MAX_DAYS} "
                                   f"with fewest <= most, not {days!r}.")
    if not isinstance(free, bool):
        raise ShippingSettingError(f"{where}: free_over_threshold must be true or false, not {free!r}.")
    return ZoneRate(fee, days[0], days[1], free)


def load_rates(config) -> Rates:
    """The rates of `config` (the app's configuration), or ShippingSettingError saying what is wrong."""
    if "SHIPPING_FEE" in os.environ or "SHIPPING_FEE" in config:
        raise ShippingSettingError("SHIPPING_FEE is no longer read: delivery is priced by zone in "
                                   "SHIPPING_ZONES (see README, Delivery).")
    overrides = config.get("SHIPPING_ZONES") or {}
    if isinstance(overrides, str):
        try:
            overrides = json.loads(overrides)
        except ValueError as error:
            raise ShippingSettingError(f"SHIPPING_ZONES is not valid JSON: {error}.") from None
    if not isinstance(overrides, dict):
        raise ShippingSettingError("SHIPPING_ZONES must be a JSON object keyed by zone "
                                   f"({', '.join(z.value for z in Zone)}).")
    unknown = set(overrides) - {zone.value for zone in Zone}
    if unknown:
        raise ShippingSettingError(f"SHIPPING_ZONES names unknown zones {sorted(unknown)} "
                                   f"(known: {', '.join(z.value for z in Zone)}).")
    zones = {}
    for zone in Zone:
        given = overrides.get(zone.value, {})
        if not isinstance(given, dict):
            raise ShippingSettingError(f"SHIPPING_ZONES: zone {zone.value!r} must be an object.")
        zones[zone] = _zone_rate(zone.value, {**DEFAULT_ZONES[zone.value], **given})
    free_from = config.get("FREE_SHIPPING_FROM")
    if isinstance(free_from, str) and free_from.strip().isascii() and free_from.strip().isdigit():
        free_from = int(free_from.strip())
    if not _whole(free_from, 0, 2**31 - 1):
        raise ShippingSettingError(f"FREE_SHIPPING_FROM must be a whole number of đồng (0: never free), "
                                   f"not {free_from!r}.")
    return Rates(zones, free_from or None)
