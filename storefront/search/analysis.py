"""How Vietnamese and English text becomes index terms.

Vietnamese: NFC first (decomposed input would split syllables), lower case, no stop words, and
one-letter syllables kept. The folded analyzer also drops tone marks and maps đ → d, so that
"nuoc mam" finds "nước mắm"; the exact analyzer keeps them, so that an exact-accent match can rank
above a folded one. English: stemmed, so "cinnamons" finds "cinnamon".
"""
import unicodedata

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter

from ..text import fold

WORD = r"\w+"


class NfcTokenizer(RegexTokenizer):
    def __init__(self):
        super().__init__(expression=WORD)

    def __call__(self, value, **kwargs):
        return super().__call__(unicodedata.normalize("NFC", value), **kwargs)


class FoldFilter(Filter):
    def __call__(self, tokens):
        for token in tokens:
            token.text = fold(token.text)
            yield token


def folded_analyzer():
    return NfcTokenizer() | LowercaseFilter() | FoldFilter()


def exact_analyzer():
    return NfcTokenizer() | LowercaseFilter()


def english_analyzer():
    return NfcTokenizer() | LowercaseFilter() | StemFilter()


FOLDED, EXACT, ENGLISH = folded_analyzer(), exact_analyzer(), english_analyzer()


def terms(analyzer, text: str) -> list[str]:
    return [token.text for token in analyzer(text)]
