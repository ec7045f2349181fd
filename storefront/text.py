"""Vietnamese text as people type it: NFC, and folded (no tone marks, đ → d) for matching and sorting."""
import re
import unicodedata


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class _FoldedCharacters(dict):
    """Each character's folded form (NFD, without combining marks, đ → d), computed when first met.

    Folding character by character is folding the whole text: canonical reordering only moves combining
    marks, which are all dropped; what may compose again across characters is composed by the final NFC.
    A table, not a loop over every character, because the catalogue's listing folds 20,000 names at a
    worker's start."""

    LIMIT = 8192  # characters kept (Vietnamese needs a few hundred); others are folded every time

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFD", chr(code))
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")
        if len(self) < self.LIMIT:
            self[code] = folded
        return folded


_FOLDED = _FoldedCharacters()


def fold(text: str) -> str:
    """"Nước mắm Đức Phổ" → "nuoc mam duc pho". NFD leaves đ whole, so it is mapped by hand."""
    folded = text.lower().translate(_FOLDED)
    return folded if folded.isascii() else unicodedata.normalize("NFC", folded)


def sort_key(text: str) -> tuple[str, str]:
    """Alphabetical order a Vietnamese reader expects: Đ with D, accented letters with their base."""
    return fold(text), nfc(text)


def slugify(text: str) -> str:
    """"Tỏi đen Lý Sơn" → "toi-den-ly-son": the ASCII form a URL slug takes."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


def whole_number(text: str | None, lowest: int = 0, highest: int = 2**31 - 1) -> int | None:
    """The whole number typed in `text` (ASCII digits, surrounding spaces allowed) when it lies within
    [lowest, highest]; None for anything else: signs, other digit systems ("²", "١٢"), 10**30."""
    if text is None:
        return None
    text = text.strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if lowest <= number <= highest else None
def search_key(text: str) -> str:
    """Text as the office's lists compare it: folded, without control characters (a NUL cannot even reach
    PostgreSQL), runs of spaces made one. "  Quế  TRÀ Bồng " → "que tra bong"."""
    visible = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cs"))
    return " ".join(fold(visible).split())


def contains_pattern(text: str) -> str | None:
    """A LIKE pattern (escape character "\\") for the rows whose folded column contains the folded `text`;
    None when nothing is left to look for."""
    key = search_key(text)
    if not key:
        return None
    return "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
