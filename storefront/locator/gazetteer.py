"""The places a visitor may type to sort the locator from them (?near=): communes, wards and former
districts, the sales points and destinations by their names, and a few landmarks that are none of these
(beaches, ports, a station), configurable as LOCATOR_LANDMARKS.

A typed place is matched without tone marks or case, by whole words or by the beginnings of words:
"my khe", "Mỹ Khê beach", "ly so", "đặc khu Lý Sơn", "lyson".
"""
import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from flask import current_app

from ..areas.models import AreaLevel
from ..text import fold, nfc, sort_key
from .geo import Position, in_vietnam


@dataclass(frozen=True)
class Landmark:
    """A place visitors know by name that is not an area nor a sales point: where the locator measures from."""

    name_vi: str
    name_en: str
    latitude: float
    longitude: float
    aliases: tuple[str, ...] = ()  # other names it is typed as (tone marks optional)


# Known to every visitor of Quảng Ngãi; positions approximate, to a few hundred metres. A deployment may
# replace the list with its own (LOCATOR_LANDMARKS: Landmark objects or their fields as dicts).
LANDMARKS: tuple[Landmark, ...] = (
    Landmark("Bãi biển Mỹ Khê", "Mỹ Khê beach", 15.1795, 108.8885, ("Mỹ Khê", "biển Mỹ Khê")),
    Landmark("Cảng Sa Kỳ", "Sa Kỳ port (boats to Lý Sơn)", 15.2030, 108.9150,
             ("Sa Kỳ", "Sa Kỳ port", "bến tàu Sa Kỳ", "cảng tàu Sa Kỳ")),
    Landmark("Cảng Lý Sơn", "Lý Sơn port", 15.3786, 109.1205, ("Lý Sơn port", "bến tàu Lý Sơn")),
    Landmark("Bãi biển Sa Huỳnh", "Sa Huỳnh beach", 14.6640, 109.0660, ("biển Sa Huỳnh",)),
    Landmark("Khu chứng tích Sơn Mỹ", "Sơn Mỹ memorial (Mỹ Lai)", 15.1778, 108.8690,
             ("Sơn Mỹ", "Mỹ Lai", "Mỹ Lai memorial")),
    Landmark("Núi Thiên Ấn", "Thiên Ấn mountain", 15.1435, 108.8230, ("Thiên Ấn", "chùa Thiên Ấn")),
    Landmark("Mũi Ba Làng An", "Ba Làng An cape", 15.2320, 108.9360, ("Ba Làng An",)),
    Landmark("Ga Quảng Ngãi", "Quảng Ngãi railway station", 15.1160, 108.7890,
             ("Quảng Ngãi station", "ga tàu Quảng Ngãi")),
    Landmark("Khu kinh tế Dung Quất", "Dung Quất economic zone", 15.3900, 108.7900, ("Dung Quất",)),
    Landmark("Sân bay Chu Lai", "Chu Lai airport", 15.4033, 108.7061, ("Chu Lai",)),
)

AREA, SALES_POINT, DESTINATION, LANDMARK = "area", "sales_point", "destination", "landmark"
# At equal match, a commune or a former district is what a visitor most likely means, then a landmark.
_KIND_RANK = {AREA: 0, LANDMARK: 1, DESTINATION: 2, SALES_POINT: 3}
# The beginning of a word matches only from this many typed letters: "b" is no place.
MIN_PARTIAL_LETTERS = 3


@dataclass(frozen=True)
class NamedPlace:
    """A place a visitor may type, with where the locator measures from."""

    kind: str  # AREA, SALES_POINT, DESTINATION or LANDMARK
    name_vi: str
    name_en: str | None
    position: Position
    keys: tuple[tuple[str, ...], ...]  # the folded words of each name it answers to
    accented: tuple[str, ...] = ()  # its names in lower case with their tone marks
    area: object = None  # an AreaRef, for a commune or a former district
    level: AreaLevel | None = None
    sort: tuple = field(default=(), compare=False)

    @property
    def folded(self) -> str:
        return " ".join(self.keys[0]) if self.keys else ""


class UnknownPlace(LookupError):
    """Nothing of that name; `suggestions` are places whose names come close."""

    def __init__(self, text: str, suggestions: list[NamedPlace]):
        super().__init__(text)
        self.suggestions = suggestions


_NOT_A_WORD = re.compile(r"[\W_]+")


def words(text: str) -> tuple[str, ...]:
    """"Mỹ Khê, Quảng Ngãi!" → ("my", "khe", "quang", "ngai"): folded, without punctuation or symbols."""
    return tuple(_NOT_A_WORD.sub(" ", fold(unicodedata.normalize("NFKC", text or ""))).split())


def _lower(text: str) -> str:
    return " ".join(nfc(unicodedata.normalize("NFKC", text)).lower().split())


# Words that say what kind of place a name is: "xã Tịnh Khê", "huyện Ba Tơ", "TP Quảng Ngãi".
_KIND_WORDS = tuple(tuple(w.split()) for w in (
    "thanh pho", "thi xa", "dac khu", "huyen", "phuong", "xa", "tp", "tx", "commune", "ward", "district",
    "town", "city", "special zone"))
_DISTRICT_WORDS = tuple(tuple(w.split()) for w in ("thanh pho", "thi xa", "huyen", "tp", "tx", "district", "town",
                                                    "city"))
_PROVINCE_SUFFIXES = (("tinh", "quang", "ngai"), ("quang", "ngai", "province"), ("province",))
# What a visitor may add after a place's name: "Mỹ Khê, Quảng Ngãi", "Sa Kỳ Vietnam".
_TYPED_SUFFIXES = (("quang", "ngai"), ("viet", "nam"), ("vietnam",))


def _without_province(name: tuple[str, ...]) -> tuple[str, ...]:
    for suffix in _PROVINCE_SUFFIXES:
        if len(name) > len(suffix) and name[-len(suffix):] == suffix:
            return name[:-len(suffix)]
    return name


def _without_suffix(typed: tuple[str, ...]) -> tuple[str, ...]:
    typed = _without_province(typed)
    for suffix in _TYPED_SUFFIXES:
        if len(typed) > len(suffix) and typed[-len(suffix):] == suffix:
            return bare(typed[:-len(suffix)])
    return bare(typed)


def bare(name: tuple[str, ...]) -> tuple[str, ...]:
    """Without the province and the kind words: "Xã Tịnh Khê, tỉnh Quảng Ngãi" → ("tinh", "khe")."""
    name = _without_province(name)
    for kind in _KIND_WORDS:
        if len(name) > len(kind) and name[:len(kind)] == kind:
            name = name[len(kind):]
        if len(name) > len(kind) and name[-len(kind):] == kind:
            name = name[:-len(kind)]
    return name


def _keys(*names: str | None, strip_kind: bool = False) -> tuple[tuple[str, ...], ...]:
    keys = []
    for name in names:
        if not name:
            continue
        for key in ((words(name), bare(words(name))) if strip_kind else (words(name), _without_province(words(name)))):
            if key and key not in keys:
                keys.append(key)
    return tuple(keys)


def area_place(area_ref, level: AreaLevel, position: Position) -> NamedPlace:
    return NamedPlace(AREA, area_ref.name, None, position, _keys(area_ref.name, strip_kind=True),
                      (_lower(area_ref.name),), area=area_ref, level=level, sort=sort_key(area_ref.name))


def place_place(kind: str, name_vi: str, name_en: str | None, latitude: float, longitude: float) -> NamedPlace:
    return NamedPlace(kind, name_vi, name_en, Position(latitude, longitude), _keys(name_vi, name_en),
                      tuple(_lower(n) for n in (name_vi, name_en) if n), sort=sort_key(name_vi))


def landmark_place(landmark: Landmark) -> NamedPlace:
    names = (landmark.name_vi, landmark.name_en, *landmark.aliases)
    return NamedPlace(LANDMARK, landmark.name_vi, landmark.name_en,
                      Position(landmark.latitude, landmark.longitude), _keys(*names),
                      tuple(_lower(n) for n in names if n), sort=sort_key(landmark.name_vi))


def configured_landmarks(config=None) -> tuple[Landmark, ...]:
    """LOCATOR_LANDMARKS, checked: a landmark needs a name in both languages and a position in Vietnam."""
    config = current_app.config if config is None else config
    landmarks = []
    for item in config.get("LOCATOR_LANDMARKS", LANDMARKS):
        landmark = item if isinstance(item, Landmark) else Landmark(**{**item, "aliases": tuple(item.get("aliases", ()))})
        if not (landmark.name_vi.strip() and landmark.name_en.strip()
                and in_vietnam(float(landmark.latitude), float(landmark.longitude))):
            raise ValueError(f"LOCATOR_LANDMARKS: {landmark.name_vi!r} needs both names and a position in Vietnam")
        landmarks.append(landmark)
    return tuple(landmarks)


def _tier(typed: tuple[str, ...], name: tuple[str, ...]) -> int | None:
    """How well typed words match a name, best first: 0 the whole name, 1 its first words, 2 whole words
    further on, 3 the beginnings of its first words, 4 the beginnings of words further on; None: no match."""
    if typed == name or "".join(typed) == "".join(name):  # "lyson" is how many type Lý Sơn
        return 0
    width = len(typed)
    partial = sum(len(w) for w in typed) >= MIN_PARTIAL_LETTERS
    best = None
    for start in range(len(name) - width + 1):
        window = name[start:start + width]
        if window == typed:
            tier = 1 if start == 0 else 2
        elif partial and all(w.startswith(t) for t, w in zip(typed, window)):
            tier = 3 if start == 0 else 4
        else:
            continue
        best = tier if best is None else min(best, tier)
    return best


def find(text: str, places: list[NamedPlace]) -> NamedPlace:
    """The place a visitor typed; UnknownPlace when nothing matches."""
    typed = words(text)
    variants = {variant for variant in (typed, _without_province(typed), bare(typed), _without_suffix(typed))
                if variant}
    wants_district = any(typed[:len(kind)] == kind for kind in _DISTRICT_WORDS)
    preferred = AreaLevel.FORMER_DISTRICT if wants_district else AreaLevel.COMMUNE
    accented = _lower(text)
    with_accents = accented != " ".join(fold(accented).split())
    best, best_key = None, None
    for place in places:
        tiers = [t for key in place.keys for variant in variants if (t := _tier(variant, key)) is not None]
        if not tiers:
            continue
        rank = _KIND_RANK[place.kind] + (0 if place.kind != AREA or place.level == preferred else 0.5)
        exact_accents = with_accents and any(accented in name for name in place.accented)
        key = (min(tiers), not exact_accents, rank, place.sort)
        if best_key is None or key < best_key:
            best, best_key = place, key
    if best is not None:
        return best
    raise UnknownPlace(text, suggestions(typed, places))


def is_its_name(text: str, place: NamedPlace) -> bool:
    """Whether `text` is one of the place's names (tone marks, case and kind words aside)."""
    typed = words(text)
    return any(variant in place.keys for variant in (typed, _without_province(typed), bare(typed)))


def suggestions(typed: tuple[str, ...], places: list[NamedPlace], count: int = 3) -> list[NamedPlace]:
    """Places whose names, or as many of their words as were typed, are spelt close to what was typed
    ("tinh khee" → Tịnh Khê, "my khee" → Mỹ Khê beach)."""
    if not typed:
        return []
    width = len(typed)
    by_text: dict[str, NamedPlace] = {}
    for place in sorted(places, key=lambda p: (_KIND_RANK[p.kind], p.sort)):
        for key in place.keys:
            by_text.setdefault(" ".join(key), place)
            for start in range(len(key) - width + 1):
                by_text.setdefault(" ".join(key[start:start + width]), place)
    found = []
    for text in difflib.get_close_matches(" ".join(typed), list(by_text), n=count * 3, cutoff=0.75):
        if by_text[text] not in found:
            found.append(by_text[text])
    return found[:count]
