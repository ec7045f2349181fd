"""Certificate numbers and verification codes as people type them.

A buyer copies a number from packaging: in lower case, with a space too many, with the en dash a phone
keyboard offers, or decomposed by a Mac's clipboard. `certificate_key` maps every way of typing one
number to one key. It is the only normalisation of a number: the database stores it beside the number
(`Certificate.number_key`, indexed, unique per authority), and every lookup compares keys.
"""
import unicodedata

# Every dash of Unicode (category Pd, as of Unicode 15) and the minus signs people type for one.
# tests/certification/test_numbers.py holds this list to the Unicode database.
DASHES = (
    "\u002d\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u2e5d"
    "\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\U00010ead"
    "\u2212\u2043\u02d7\u2796\u207b\u208b"
)
_DASH_TABLE = str.maketrans({dash: "-" for dash in DASHES})
# Categories that carry nothing a person reads: control and format characters (zero-width spaces, soft
# hyphens, direction marks), lone surrogates, and every kind of space and line break.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"})

# Verification codes: no 0/O, 1/I/L, so a code copied from packaging by hand is read right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10  # 31**10 ≈ 8×10^14: not worth guessing, short enough to type and to keep the QR small


def _visible(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in _INVISIBLE)


def certificate_key(text) -> str:
    """The key of a certificate number: compatibility-normalised (NFKC, so NFC and NFD agree, and full-width
    digits are digits), every dash a hyphen-minus, no spaces or invisible characters, case-folded.
    "091/2026/OCOP", " 091 / 2026 / ocop " and "091∕2026－OCOP" have one key. Never fails; "" for nothing."""
    if text is None:
        return ""
    key = str(text)
    # Case folding works on the decomposed form (folded composed letters such as ǰ come out decomposed), and
    # NFKC comes last, so the key is composed. Each step can expose work for another (NFKD turns some signs
    # into a space and a combining mark): repeat until nothing changes, two rounds in practice.
    for _round in range(8):
        previous = key
        decomposed = unicodedata.normalize("NFKD", key).casefold().translate(_DASH_TABLE)
        key = unicodedata.normalize("NFKC", _visible(decomposed))
        if key == previous:
            break
    return key


def clean_text(text) -> str:
    """A typed value as it is stored and shown: NFC, without control or format characters, its spaces
    collapsed to one. (The key, not this, decides what matches.)"""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    kept = "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) not in {"Cc", "Cf", "Cs"})
    return " ".join(kept.split())


def normalized_code(text) -> str | None:
    """`text` as a verification code (any case, with spaces or dashes of any kind), or None if it cannot be one."""
    code = certificate_key(text).replace("-", "").upper()
    if len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code):
        return code
    return None
