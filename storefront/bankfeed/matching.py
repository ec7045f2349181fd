"""Which order a transfer pays, read from its description whatever the bank did to it.

Buyers copy the order number ("QN7K2M9PXA") into the transfer description, and the VietQR code fills it in.
On its way the banks change it: upper or lower case, spaces or dashes taken out or put in
("QN 7K2M-9PXA"), their own words added before and after ("MBVCB.3278907687.QN7K2M9PXA.CT tu
0123456789 NGUYEN VAN A"), the text cut short ("…QN7K2M9P"). So the description is folded to capital
letters and digits alone, and every "QN" in it is followed by the characters an order number may hold:
eight of them name an order; a run cut shorter (or running into the next word) still names the one order
whose number begins with at least six of them.
"""
import unicodedata

from ..orders.operations import NUMBER_ALPHABET

PREFIX = "QN"
NUMBER_LENGTH = 8
#: The fewest characters of a number, after "QN", that still name one order among hundreds of thousands.
SHORTEST_CUT = 6

_ALPHABET = frozenset(NUMBER_ALPHABET)


def folded(text: str) -> str:
    """Capital letters and digits alone, tone marks and đ folded: "Qn 7k2m-9pxa đơn" → "QN7K2M9PXADON"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed.upper() if char.isascii() and char.isalnum())


def numbers_named(*texts: str) -> tuple[list[str], list[str]]:
    """The order numbers `texts` name in full, and the runs that may be a number's beginning (each at least
    SHORTEST_CUT characters after "QN", longest first), in the order they appear."""
    whole, beginnings = [], []
    for text in texts:
        plain = folded(text or "")
        start = plain.find(PREFIX)
        while start != -1:
            run = ""
            for char in plain[start + len(PREFIX):start + len(PREFIX) + NUMBER_LENGTH]:
                if char not in _ALPHABET:
                    break
                run += char
            if len(run) == NUMBER_LENGTH and PREFIX + run not in whole:
                whole.append(PREFIX + run)
            for cut in range(min(len(run), NUMBER_LENGTH - 1), SHORTEST_CUT - 1, -1):
                if PREFIX + run[:cut] not in beginnings:
                    beginnings.append(PREFIX + run[:cut])
            start = plain.find(PREFIX, start + 1)
    return whole, beginnings
