"""Marking the words a query matched, in the original text with its tone marks, safely escaped."""
import re
from functools import lru_cache

from markupsafe import Markup, escape

from ..text import fold, nfc
from .analysis import ENGLISH, terms

WORD = re.compile(r"\w+")


class Matcher:
    """Decides whether a word of a text matches a query: folded equality, English stems, or the
    last word typed as a prefix."""

    def __init__(self, query: str):
        words = [fold(word) for word in WORD.findall(nfc(query))]
        self.folded = set(words)
        self.stems = set(terms(ENGLISH, query))
        self.prefix = words[-1] if words and (len(words[-1]) >= 2 or len(words) > 1) else None
        self._known: dict[str, bool] = {}  # the texts of a page share most of their words

    def __bool__(self):
        return bool(self.folded)

    def matches(self, word: str) -> bool:
        known = self._known.get(word)
        if known is None:
            folded = _folded(word)
            known = self._known[word] = folded in self.folded or bool(
                self.prefix and folded.startswith(self.prefix)) or _stem(word) in self.stems
        return known


@lru_cache(maxsize=20_000)
def _folded(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=20_000)
def _stem(word: str) -> str | None:
    stems = terms(ENGLISH, word)
    return stems[0] if stems else None


def mark(text: str, matcher: Matcher) -> Markup:
    """The whole text, escaped, with matching words in <mark>."""
    text = nfc(text or "")
    pieces, last = [], 0
    for found in WORD.finditer(text):
        if matcher.matches(found.group()):
            pieces.append(escape(text[last:found.start()]))
            pieces.append(Markup("<mark>{}</mark>").format(found.group()))
            last = found.end()
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)


def snippet(text: str, matcher: Matcher, width: int = 180) -> Markup | None:
    """A window of the text around its first matching word, marked; None when no word matches."""
    text = " ".join(nfc(text or "").split())
    # Each distinct word is tested once: long texts repeat their words, and most hold none of the query's.
    matching = {word for word in set(WORD.findall(text)) if matcher.matches(word)}
    if not matching:
        return None
    for found in WORD.finditer(text):
        if found.group() in matching:
            start = max(0, found.start() - width // 3)
            if start:
                start = text.find(" ", start) + 1 or start
            end = min(len(text), start + width)
            if end < len(text):
                end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > found.end() else end
            window = mark(text[start:end], matcher)
            return Markup("{}{}{}").format("… " if start else "", window, " …" if end < len(text) else "")
    return None
