"""Phone numbers as people type them: the one place that reads, checks and writes them.

Two modes. A delivery in Vietnam needs a Vietnamese number, kept in its national form (0912345678):
`normalize_phone`. A visitor who may be a foreigner (a visit request) may give any number the world can
call, kept in E.164 (+4915123456789): `international_phone`, shown by `format_phone`
(+49 1512 3456789). Numbers of Vietnam are checked by the same Vietnamese rule in both modes.
"""
import re
from functools import lru_cache

import phonenumbers

_SEPARATORS = re.compile(r"[\s.\-()]")
# Mobiles: 0 + 3/5/7/8/9 + 8 digits. Landlines: 0 + a 2x area code (2 or 3 digits) + the rest, 11 digits.
_MOBILE = re.compile(r"0[35789]\d{8}")
_LANDLINE = re.compile(r"02\d{9}")
VIETNAM = "VN"
# Longer than any number with its spaces and brackets: not parsed at all.
MAX_TYPED_LENGTH = 40


def normalize_phone(raw: str | None) -> str | None:
    """The number in its national form (0912345678), or None when it is not a Vietnamese number.

    Accepts spaces, dots, dashes and brackets, and the international forms +84…, 84… and 0084…"""
    if not raw:
        return None
    number = _SEPARATORS.sub("", raw.strip())
    for prefix in ("+84", "0084", "84"):
        if number.startswith(prefix) and (prefix != "84" or len(number) in (11, 12)):
            rest = number[len(prefix):]
            number = "0" + (rest[1:] if rest.startswith("0") else rest)  # "+84 0912…" happens too
            break
    if number.startswith("00"):
        return None
    if _MOBILE.fullmatch(number) or _LANDLINE.fullmatch(number):
        return number
    return None


def international_phone(raw: str | None) -> str | None:
    """Any number that can be called back, in E.164 ("+4915123456789"), or None.

    A number without a country code is read as Vietnamese ("0905 381 246" → "+84905381246"); a number
    abroad starts with + or 00 and its country code. A number of Vietnam must pass the Vietnamese rule."""
    if not raw or len(raw) > MAX_TYPED_LENGTH:
        return None
    national = normalize_phone(raw)
    if national is not None and national.isascii():
        return "+84" + national[1:]
    try:
        number = phonenumbers.parse(raw, VIETNAM)
    except phonenumbers.NumberParseException:
        return None
    if number.extension or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.region_code_for_number(number) == VIETNAM:
        national = normalize_phone("0" + str(number.national_number))
        return None if national is None else "+84" + national[1:]
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=4096)  # a pure function of the text: pages show the same numbers again
def format_phone(stored: str | None) -> str:
    """A stored number as people read it, with its country code: "+84 905 381 246", "+49 1512 3456789"."""
    if not stored:
        return ""
    try:
        number = phonenumbers.parse(stored, VIETNAM)
    except phonenumbers.NumberParseException:
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@lru_cache(maxsize=4096)  # a pure function of the text: pages show the same numbers again
def tel_href(stored: str | None) -> str:
    """A `tel:` link's number that rings from any country ("+842553822888"); the digits as stored when the
    number cannot be read."""
    number = international_phone(stored)
    return number if number is not None else re.sub(r"[^\d+]", "", stored or "")


@lru_cache(maxsize=4096)  # a pure function of the text: pages show the same numbers again
def phone_for_the_world(stored: str | None) -> str:
    """A number as a visitor from abroad dials it: "+84 255 3822 888"."""
    number = international_phone(stored)
    return format_phone(number) if number is not None else (stored or "")
