"""Vietnamese phone numbers, as shoppers type them: the one place that reads and checks them."""
import re

_SEPARATORS = re.compile(r"[\s.\-()]")
# Mobiles: 0 + 3/5/7/8/9 + 8 digits. Landlines: 0 + a 2x area code (2 or 3 digits) + the rest, 11 digits.
_MOBILE = re.compile(r"0[35789]\d{8}")
_LANDLINE = re.compile(r"02\d{9}")


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
