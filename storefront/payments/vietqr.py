"""VietQR bank-transfer codes: the NAPAS profile of the EMVCo merchant-presented QR.

`build_payload` writes the text a Vietnamese banking app reads when the buyer scans the code: the
receiving bank (its NAPAS BIN) and account, the amount in đồng and the transfer description carrying
the order's reference, so the transfer arrives pre-filled and can be matched to the order.
`qr_svg` and `qr_png` draw it.

The payload is a row of TLV fields (two-digit id, two-digit length, value):

    00 "01"                 payload format indicator
    01 "12"                 point of initiation: dynamic (this amount, this order)
    38 …                    merchant account information, NAPAS profile:
        00 "A000000727"         NAPAS GUID
        01 …                    beneficiary organisation: 00 bank BIN, 01 account number
        02 "QRIBFTTA"           service: inter-bank fast transfer to an account
    53 "704"                currency, Vietnamese đồng (ISO 4217)
    54 "185000"             amount
    58 "VN"                 country
    62 …                    additional data: 08 purpose of transaction (the reference)
    63 "ABCD"               CRC-16/CCITT-FALSE of everything before it, including the text "6304"
"""
import io
import re
import unicodedata
from urllib.parse import quote

import segno

NAPAS_GUID = "A000000727"
SERVICE_TRANSFER_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
FORMAT_INDICATOR = "01"
POINT_OF_INITIATION_DYNAMIC = "12"

#: NAPAS 247 fast transfers are capped at 500 million đồng per transaction.
MAX_AMOUNT = 500_000_000
MAX_ACCOUNT_LENGTH = 19
MAX_REFERENCE_LENGTH = 25

_BIN = re.compile(r"[0-9]{6}")
_ACCOUNT = re.compile(r"[A-Za-z0-9]{1,%d}" % MAX_ACCOUNT_LENGTH)
_REFERENCE = re.compile(r"[A-Za-z0-9]{1,%d}" % MAX_REFERENCE_LENGTH)
_SPACES = re.compile(r"\s+")


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def _field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"VietQR field {tag} is longer than 99 characters.")
    return f"{tag}{len(value):02d}{value}"


def _without_accents(text: str) -> str:
    """"Đơn hàng" → "Don hang": tone marks and đ removed, letter case kept."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def clean_reference(reference: str) -> str:
    """The transfer description as it is put in the code: no tone marks, no spaces.

    Raises ValueError unless what remains is 1 to 25 ASCII letters and digits, which every bank keeps
    intact in the transfer description (many drop or alter punctuation and Vietnamese letters)."""
    if not isinstance(reference, str):
        raise ValueError("The payment reference must be text.")
    cleaned = _SPACES.sub("", _without_accents(reference))
    if not cleaned:
        raise ValueError("The payment reference is empty.")
    if not cleaned.isascii() or not _REFERENCE.fullmatch(cleaned):
        if len(cleaned) > MAX_REFERENCE_LENGTH:
            raise ValueError(
                f"The payment reference {cleaned!r} is longer than {MAX_REFERENCE_LENGTH} characters.")
        raise ValueError(
            f"The payment reference {reference!r} may contain only letters and digits "
            "(tone marks and spaces are removed).")
    return cleaned


def build_payload(*, bank_bin: str, account_number: str, amount: int, reference: str) -> str:
    """The dynamic VietQR payload asking for `amount` đồng to `account_number` at the bank `bank_bin`,
    with `reference` as the transfer description. Raises ValueError on any invalid input."""
    if not isinstance(bank_bin, str) or not _BIN.fullmatch(bank_bin):
        raise ValueError(f"The bank BIN must be the bank's 6-digit NAPAS code (e.g. 970436), not {bank_bin!r}.")
    if (not isinstance(account_number, str) or not account_number.isascii()
            or not _ACCOUNT.fullmatch(account_number)):
        raise ValueError(
            f"The account number must be 1 to {MAX_ACCOUNT_LENGTH} letters or digits without spaces, "
            f"not {account_number!r}.")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"The amount must be a whole number of đồng, not {amount!r}.")
    if amount <= 0:
        raise ValueError(f"The amount must be positive, not {amount}.")
    if amount > MAX_AMOUNT:
        raise ValueError(f"The amount {amount} đồng is above the {MAX_AMOUNT} đồng a transfer may carry.")
    description = clean_reference(reference)

    beneficiary = _field("00", bank_bin) + _field("01", account_number)
    merchant_account = (_field("00", NAPAS_GUID) + _field("01", beneficiary)
                        + _field("02", SERVICE_TRANSFER_TO_ACCOUNT))
    body = (_field("00", FORMAT_INDICATOR)
            + _field("01", POINT_OF_INITIATION_DYNAMIC)
            + _field("38", merchant_account)
            + _field("53", CURRENCY_VND)
            + _field("54", str(amount))
            + _field("58", COUNTRY_VN)
            + _field("62", _field("08", description))
            + "6304")
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


def _qr(payload: str) -> segno.QRCode:
    if not isinstance(payload, str) or not payload:
        raise ValueError("There is no payload to draw.")
    # Level M, as banks print their own VietQR codes; segno raises it when that costs no extra size.
    return segno.make_qr(payload, error="m")


def qr_svg(payload: str) -> str:
    """The code as SVG markup to put inline in a page: one path and a title, no script, no external
    reference, no inline style (the page's Content-Security-Policy allows none). It scales with CSS
    (viewBox) and has a white quiet zone so it stays readable on a dark background."""
    qr = _qr(payload)
    scale = 5
    svg = qr.svg_inline(scale=scale, border=4, dark="#000", light="#fff", title="VietQR",
                        svgclass="vietqr", lineclass="vietqr-modules", omitsize=True)
    size = qr.symbol_size(scale=scale, border=4)[0]
    # Pixel size as a default (CSS may override it) and the role that makes the title its accessible name.
    return svg.replace("<svg ", f'<svg width="{size}" height="{size}" role="img" ', 1)


def qr_png(payload: str, scale: int = 8) -> bytes:
    """The code as a PNG image (`scale` pixels per module, with the standard 4-module quiet zone)."""
    if isinstance(scale, bool) or not isinstance(scale, int) or not 1 <= scale <= 40:
        raise ValueError(f"The PNG scale must be a whole number from 1 to 40, not {scale!r}.")
    out = io.BytesIO()
    _qr(payload).save(out, kind="png", scale=scale, border=4, dark="#000", light="#fff")
    return out.getvalue()


#: VietQR.io's documented link that opens a banking app with the transfer filled in (vietqr.io/deeplink).
APP_LINK = "https://dl.vietqr.io/pay"
_APP_ID = re.compile(r"[a-z0-9]{1,20}")


def app_link(app_id: str, *, bank_code: str, account_number: str, amount: int, reference: str,
             account_name: str = "", return_url: str = "") -> str:
    """The link that opens the banking app `app_id` (VietQR.io's app id, such as "mb" or "icb") with this
    transfer filled in: `ba` is account@bank code (the "@" kept as it is), `am` the amount in digits, `tn` the
    description, `bn` the account's name, `url` where the app sends the buyer back."""
    if not _APP_ID.fullmatch(app_id or "") or not _APP_ID.fullmatch(bank_code or ""):
        raise ValueError(f"An app id and a bank code are short lower-case codes, not {app_id!r} and {bank_code!r}.")
    parts = [f"app={app_id}", f"am={int(amount)}", f"tn={quote(clean_reference(reference))}",
             f"ba={quote(account_number, safe='')}@{bank_code}"]
    if account_name:
        parts.append(f"bn={quote(account_name, safe='')}")
    if return_url:
        parts.append(f"url={quote(return_url, safe=':/')}")
    return f"{APP_LINK}?{'&'.join(parts)}"
