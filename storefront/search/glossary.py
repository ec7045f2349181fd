"""English names of the province's typical products, in the Vietnamese words their names start with.

A tourist typing "cinnamon" wants Trà Bồng cinnamon bark (Quế …) before cinnamon tea or soap, which
English text alone cannot tell: these pairs let a name that starts with the Vietnamese words rank first.
"""
from .analysis import ENGLISH, FOLDED, terms

PAIRS = {
    "black garlic": "tỏi đen",
    "garlic": "tỏi",
    "shallot": "hành tím",
    "cinnamon": "quế",
    "cinnamon essential oil": "tinh dầu quế",
    "cinnamon oil": "tinh dầu quế",
    "essential oil": "tinh dầu",
    "incense": "nhang",
    "malt syrup": "mạch nha",
    "malt": "mạch nha",
    "mirror candy": "kẹo gương",
    "rock sugar": "đường phèn",
    "salt": "muối",
    "fish sauce": "nước mắm",
    "lingzhi": "nấm linh chi",
    "dried beef": "bò khô",
    "rice paper": "bánh tráng",
    "brocade": "thổ cẩm",
    "honey": "mật ong",
    "citadel": "thành cổ",
    "pottery": "gốm",
}
_BY_STEMS = {tuple(terms(ENGLISH, english)): terms(FOLDED, vietnamese) for english, vietnamese in PAIRS.items()}
_LONGEST = max(len(key) for key in _BY_STEMS)


def vietnamese_names(english_stems: list[str]) -> list[list[str]]:
    """The folded Vietnamese words for the glossary phrases in the query, longest phrases first."""
    found, position = [], 0
    while position < len(english_stems):
        for length in range(min(_LONGEST, len(english_stems) - position), 0, -1):
            words = _BY_STEMS.get(tuple(english_stems[position:position + length]))
            if words:
                found.append(words)
                position += length
                break
        else:
            position += 1
    return found
