"""Vietnam's administrative units since 1 July 2025: 34 provinces and centrally-run cities, and their 3,321
communes, wards and special zones, as the `vietnam-provinces` package publishes them (its data follows the
government's list; upgrading the package is how a change of the map reaches the shop).

Everything here is read once, at import, and never changes while the shop runs. Lookups forgive what people
type: case, missing tone marks, extra spaces and punctuation, "Tỉnh"/"Thành phố"/"TP." before a province and
"Phường"/"Xã"/"Đặc khu" (or "P."/"X.") before a commune. A spelling that could name two units names none.
"""
import enum
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

import vietnam_provinces
from vietnam_provinces import Province as _PackageProvince
from vietnam_provinces import VietNamDivisionType, Ward as _PackageWard

from ..text import fold, nfc

# The date the package's data was taken from the government's list: it names the data in caches and URLs.
DATA_VERSION = vietnam_provinces.__data_version__
# Longer text is no unit's name (the longest is about 30 characters): it is refused before any work.
MAX_NAME_LENGTH = 120


class UnitKind(enum.StrEnum):
    PROVINCE = "province"  # tỉnh
    CITY = "city"  # thành phố trực thuộc trung ương
    COMMUNE = "commune"  # xã
    WARD = "ward"  # phường
    SPECIAL_ZONE = "special_zone"  # đặc khu


_KINDS = {VietNamDivisionType.TINH: UnitKind.PROVINCE, VietNamDivisionType.THANH_PHO_TRUNG_UONG: UnitKind.CITY,
          VietNamDivisionType.XA: UnitKind.COMMUNE, VietNamDivisionType.PHUONG: UnitKind.WARD,
          VietNamDivisionType.DAC_KHU: UnitKind.SPECIAL_ZONE}
# The words an official name starts with, by kind (a province's name carries none in the package's data).
_TITLES = {UnitKind.CITY: "Thành phố", UnitKind.COMMUNE: "Xã", UnitKind.WARD: "Phường", UnitKind.SPECIAL_ZONE: "Đặc khu"}


@dataclass(frozen=True)
class Province:
    code: int  # the General Statistics Office's code: 51 for Quảng Ngãi
    name: str  # official and stored on orders: "Quảng Ngãi", "Thành phố Hồ Chí Minh"
    short_name: str  # without its title, as lists show it: "Hồ Chí Minh"
    kind: UnitKind
    codename: str  # the data package's stable key: "quang_ngai"

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Commune:
    code: int
    name: str  # official and stored on orders: "Phường Cẩm Thành", "Đặc khu Lý Sơn"
    short_name: str  # "Cẩm Thành", "Lý Sơn"
    kind: UnitKind
    province_code: int
    codename: str  # the data package's stable key: "dac_khu_ly_son"

    def __str__(self) -> str:
        return self.name


def _clean(text) -> str | None:
    """Text as typed, made comparable: NFC, lower case, punctuation and runs of spaces made one space. None
    for what cannot be a name: not text, too long, empty, or holding a control character (a NUL byte)."""
    if not isinstance(text, str) or len(text) > MAX_NAME_LENGTH * 2:
        return None
    spaced = re.sub(r"[\t\n\r]", " ", nfc(text))
    if any(unicodedata.category(c) == "Cc" for c in spaced):
        return None
    words = re.sub(r"[\W_]+", " ", spaced.casefold()).split()
    return " ".join(words) or None


def _official(name: str) -> str:
    # A few names in the data carry two spaces ("Phường  An Nhơn").
    return " ".join(nfc(name).split())


def _short(name: str, kind: UnitKind) -> str:
    title = _TITLES.get(kind)
    return name[len(title) + 1:] if title and name.startswith(title + " ") else name


# Vietnam's alphabet (with the letters of foreign names where an English reader puts them) and its tones in
# dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_ALPHABET = {letter: rank for rank, letter in enumerate("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz", start=1)}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve (ă), circumflex (â ê ô), horn (ơ ư)
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vietnamese_order(text: str):
    """The key that sorts names as a Vietnamese dictionary does: letter by letter in Vietnam's alphabet
    (a < ă < â, d < đ), tones only between names otherwise equal, numbers by value ("Phường 2" before
    "Phường 10")."""
    letters, tones = [], []
    for part in re.split(r"(\d+)", unicodedata.normalize("NFD", text.casefold())):
        if part.isdigit():
            letters.append((1, int(part)))
            continue
        for char in part:
            if char in _LETTER_MARKS and letters and letters[-1][0] == 2:
                letters[-1] = (2, _ALPHABET.get(unicodedata.normalize("NFC", chr(letters[-1][2]) + char), 0),
                               letters[-1][2])
            elif char in _TONES:
                tones[-1:] = [_TONES[char]]
            elif unicodedata.combining(char):
                continue
            elif char.isspace():
                letters.append((0, 0))
            else:
                letters.append((2, _ALPHABET.get(char, 100 + ord(char)), ord(char)))
                tones.append(0)
    return tuple(entry[:2] for entry in letters), tuple(tones), text


class _Index:
    """Names → units at two strengths: as typed (tone marks count) and folded. A title typed before the name
    ("xã", "tp") is tried both as part of the name and as a title, since some names start with such a word."""

    def __init__(self, titles: dict[str, UnitKind | None]):
        self.titles = sorted(titles.items(), key=lambda item: -len(item[0]))  # "thanh pho" before "t p"
        self.exact: dict[str, list] = defaultdict(list)
        self.folded: dict[str, list] = defaultdict(list)

    def add(self, unit, *names: str) -> None:
        for name in names:
            key = _clean(name)
            for table, typed in ((self.exact, key), (self.folded, fold(key))):
                if unit not in table[typed]:
                    table[typed].append(unit)

    def find(self, text):
        key = _clean(text)
        if key is None:
            return None
        for table, typed in ((self.exact, key), (self.folded, fold(key))):
            found = table.get(typed)
            if not found:
                found = self._after_title(table, typed)
            if found:
                return found[0] if len(found) == 1 else None  # two units answer: the text names neither
        return None

    def _after_title(self, table, key: str) -> list:
        for title, kind in self.titles:
            if key.startswith(title + " "):
                found = table.get(key[len(title) + 1:], [])
                # "Xã Cẩm Thành" for the ward Cẩm Thành still names it; the title only settles a tie.
                same_kind = [unit for unit in found if kind is None or unit.kind == kind]
                return same_kind if len(found) > 1 and same_kind else found
        return []


_PROVINCE_TITLES = {"tỉnh": UnitKind.PROVINCE, "tinh": UnitKind.PROVINCE, "thành phố": UnitKind.CITY,
                    "thanh pho": UnitKind.CITY, "tp": UnitKind.CITY, "t p": UnitKind.CITY}
_COMMUNE_TITLES = {"xã": UnitKind.COMMUNE, "xa": UnitKind.COMMUNE, "x": UnitKind.COMMUNE,
                   "phường": UnitKind.WARD, "phuong": UnitKind.WARD, "p": UnitKind.WARD,
                   "đặc khu": UnitKind.SPECIAL_ZONE, "dac khu": UnitKind.SPECIAL_ZONE, "đk": UnitKind.SPECIAL_ZONE,
                   "dk": UnitKind.SPECIAL_ZONE}
# Names still in everyday use for a province under its official one.
_PROVINCE_ALIASES = {79: ("HCM", "TPHCM", "TP HCM", "Sài Gòn", "Saigon"), 46: ("Thừa Thiên Huế",)}


def _load():
    provinces = []
    for item in _PackageProvince.iter_all():
        kind = _KINDS[item.division_type]
        name = _official(item.name)
        provinces.append(Province(int(item.code), name, _short(name, kind), kind, item.codename))
    provinces.sort(key=lambda p: vietnamese_order(p.short_name))
    communes = defaultdict(list)
    for item in _PackageWard.iter_all():
        kind = _KINDS[item.division_type]
        name = _official(item.name)
        communes[int(item.province_code)].append(Commune(int(item.code), name, _short(name, kind), kind,
                                                         int(item.province_code), item.codename))
    for units in communes.values():
        units.sort(key=lambda c: (vietnamese_order(c.short_name), c.kind != UnitKind.WARD))
    return tuple(provinces), {code: tuple(units) for code, units in communes.items()}


_PROVINCES, _COMMUNES = _load()
_BY_CODE = {province.code: province for province in _PROVINCES}
_PROVINCE_INDEX = _Index(_PROVINCE_TITLES)
for _province in _PROVINCES:
    _PROVINCE_INDEX.add(_province, _province.name, _province.short_name, *_PROVINCE_ALIASES.get(_province.code, ()))
_COMMUNE_INDEXES = {}
for _code, _units in _COMMUNES.items():
    _COMMUNE_INDEXES[_code] = _Index(_COMMUNE_TITLES)
    for _commune in _units:
        _COMMUNE_INDEXES[_code].add(_commune, _commune.name, _commune.short_name)


def provinces() -> tuple[Province, ...]:
    """The 34 provinces and cities in the alphabetical order a Vietnamese reader expects (Đ with D, tone
    marks after the letter), by the name without "Thành phố": a fixed order is what lets a reader, and a
    select's type-to-find, reach theirs. The shop's own province is the form's default instead of first."""
    return _PROVINCES


def province_by_code(code) -> Province | None:
    return _BY_CODE.get(code) if isinstance(code, int) else None


def province_named(text) -> Province | None:
    """The province `text` names ("quang ngai", "TP Hồ Chí Minh", "  ho chi minh ") or None. A Province
    given is returned as it is."""
    if isinstance(text, Province):
        return _BY_CODE.get(text.code)
    return _PROVINCE_INDEX.find(text)


HOME_PROVINCE: Province = province_named("Quảng Ngãi")
assert HOME_PROVINCE is not None and len(_PROVINCES) == 34


def _province(province) -> Province | None:
    return province if isinstance(province, Province) else province_named(province)


def communes_of(province) -> tuple[Commune, ...]:
    """The communes, wards and special zones of `province` (a Province or its name), in alphabetical order of
    their names without the title; none for an unknown province."""
    found = _province(province)
    return _COMMUNES.get(found.code, ()) if found else ()


def commune_named(province, text) -> Commune | None:
    """The commune, ward or special zone of `province` that `text` names ("cam thanh", "Phường Cẩm Thành",
    "p. cẩm thành") or None: also None for a unit of another province."""
    found = _province(province)
    if found is None:
        return None
    if isinstance(text, Commune):
        return text if text.province_code == found.code else None
    return _COMMUNE_INDEXES[found.code].find(text)


def provinces_with_commune(text) -> list[Province]:
    """The provinces having a unit that `text` names: to tell a buyer which province their commune is in."""
    return [province for province in _PROVINCES if _COMMUNE_INDEXES[province.code].find(text) is not None]
