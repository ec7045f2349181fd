"""Provinces and communes of Vietnam since 1 July 2025 (the `vietnam-provinces` package's data), found by
the name a shopper types: tone marks, case, spaces and the "Tỉnh"/"Thành phố"/"Xã"/"Phường" prefixes do not
matter ("tp. ho chi minh" is Thành phố Hồ Chí Minh)."""
import re
from functools import lru_cache

from vietnam_provinces import Province, Ward

from ..text import fold, nfc

HOME_PROVINCE: Province = next(p for p in Province.iter_all() if p.codename == "quang_ngai")

_PROVINCE_PREFIX = re.compile(r"^(?:tinh|thanh pho|tp\.?)\s+")
_COMMUNE_PREFIX = re.compile(r"^(?:xa|phuong|dac khu|thi tran)\s+")
_NO_PREFIX = re.compile(r"(?!)")


def _key(text: str, prefix: re.Pattern) -> str:
    folded = " ".join(fold(nfc(text)).replace("\u00a0", " ").split())
    return prefix.sub("", folded, count=1).replace(".", "").strip()


@lru_cache(maxsize=1)
def _provinces() -> dict[str, Province]:
    return {_key(p.name, _PROVINCE_PREFIX): p for p in Province.iter_all()}


@lru_cache(maxsize=64)
def _communes(province_code) -> dict[str, Ward]:
    """By full name ("xa an phu") and, where only one unit bears it, by bare name ("an phu")."""
    wards = list(Ward.iter_by_province(province_code))
    bare: dict[str, list[Ward]] = {}
    for ward in wards:
        bare.setdefault(_key(ward.name, _COMMUNE_PREFIX), []).append(ward)
    named = {name: found[0] for name, found in bare.items() if len(found) == 1}
    named.update({_key(ward.name, _NO_PREFIX): ward for ward in wards})
    return named


def province_named(text: str | None) -> Province | None:
    """The province `text` names, or None."""
    if not text or not isinstance(text, str) or len(text) > 100:
        return None
    return _provinces().get(_key(text, _PROVINCE_PREFIX))


def commune_named(province: Province | None, text: str | None) -> Ward | None:
    """The commune, ward or special zone of `province` that `text` names, or None."""
    if province is None or not text or not isinstance(text, str) or len(text) > 120:
        return None
    communes = _communes(province.code)
    return communes.get(_key(text, _NO_PREFIX)) or communes.get(_key(text, _COMMUNE_PREFIX))
