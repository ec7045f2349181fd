"""VietQR payloads: the CRC, the TLV layout a banking app parses, published vectors, bad input, images."""
import io
import unicodedata
import xml.etree.ElementTree as ET

import pytest
import segno
from PIL import Image

from storefront.payments.vietqr import (
    MAX_AMOUNT, app_link, build_payload, clean_reference, crc16_ccitt_false, qr_png, qr_svg,
)

GOOD = {"bank_bin": "970436", "account_number": "1016039126", "amount": 185000, "reference": "OCOP2611220001"}


def tlv(text):
    """Parse a row of EMVCo fields into [(tag, value)], checking each declared length."""
    fields, i = [], 0
    while i < len(text):
        tag, length = text[i:i + 2], text[i + 2:i + 4]
        assert tag.isdigit() and length.isdigit(), f"bad field header at {i}: {text[i:i + 4]!r}"
        value = text[i + 4:i + 4 + int(length)]
        assert len(value) == int(length), f"field {tag} runs past the end"
        fields.append((tag, value))
        i += 4 + int(length)
    return fields


def crc_is_valid(payload):
    return payload[-8:-4] == "6304" and \
        f"{crc16_ccitt_false(payload[:-4].encode('ascii')):04X}" == payload[-4:]


def test_crc_matches_the_standard_check_value():
    assert crc16_ccitt_false(b"123456789") == 0x29B1
    assert crc16_ccitt_false(b"") == 0xFFFF


@pytest.mark.parametrize("payload", [
    # A dynamic code issued by the payOS payment gateway (BIDV virtual account with letters, 375.000 ₫).
    "00020101021238590010A000000727012900069704180115V3CAS62627239240208QRIBFTTA530370454063750005802VN"
    "62250821CSPZKHEL6A2 NTK O000463044729",
    # A static code (no amount) as printed on shop counters.
    "00020101021138540010A00000072701240006970422011008129452690208QRIBFTTA53037045802VN6304D5F3",
])
def test_crc_validates_codes_issued_by_banks_and_gateways(payload):
    assert crc_is_valid(payload)
    assert not crc_is_valid(payload.replace("5802VN", "5802VM"))


def test_payload_reproduces_a_published_vector_byte_for_byte():
    # Expected value published in the test suite of a public VietQR generator (Vietcombank, 500.000 ₫).
    assert build_payload(bank_bin="970436", account_number="1016039126", amount=500000, reference="65498") == (
        "00020101021238540010A00000072701240006970436011010160391260208QRIBFTTA530370454065000005802VN"
        "620908056549863046206")


def test_payload_fields_parse_back_one_by_one():
    payload = build_payload(**GOOD)
    fields = tlv(payload)
    assert [tag for tag, _ in fields] == ["00", "01", "38", "53", "54", "58", "62", "63"]
    top = dict(fields)
    assert top["00"] == "01"
    assert top["01"] == "12"  # dynamic: this amount for this order
    assert top["53"] == "704"
    assert top["54"] == "185000"
    assert top["58"] == "VN"

    merchant = tlv(top["38"])
    assert [tag for tag, _ in merchant] == ["00", "01", "02"]
    assert dict(merchant)["00"] == "A000000727"
    assert dict(merchant)["02"] == "QRIBFTTA"
    assert tlv(dict(merchant)["01"]) == [("00", "970436"), ("01", "1016039126")]

    assert tlv(top["62"]) == [("08", "OCOP2611220001")]

    assert payload.endswith("6304" + top["63"])
    assert len(top["63"]) == 4 and top["63"] == top["63"].upper()
    assert crc_is_valid(payload)
    assert payload.isascii()


def test_crc_covers_every_field():
    base = build_payload(**GOOD)
    for change in ({"amount": 185001}, {"account_number": "1016039127"}, {"bank_bin": "970418"},
                   {"reference": "OCOP2611220002"}):
        other = build_payload(**{**GOOD, **change})
        assert crc_is_valid(other)
        assert other[-4:] != base[-4:]
    tampered = base.replace("5406185000", "5406100000")
    assert not crc_is_valid(tampered)


def test_longest_inputs_keep_every_length_right():
    payload = build_payload(bank_bin="970418", account_number="V" + "9" * 18, amount=MAX_AMOUNT,
                            reference="A" * 25)
    top = dict(tlv(payload))
    assert tlv(dict(tlv(top["38"]))["01"])[1] == ("01", "V" + "9" * 18)
    assert top["54"] == "500000000"
    assert tlv(top["62"]) == [("08", "A" * 25)]
    assert crc_is_valid(payload)
    assert len(payload) == sum(4 + len(value) for _, value in tlv(payload))


def test_reference_loses_tone_marks_and_spaces_but_keeps_case():
    assert clean_reference("Đơn hàng 12") == "Donhang12"
    assert clean_reference("đặt hàng") == "dathang"
    assert clean_reference("  ocop 26 11 22 0001 ") == "ocop2611220001"
    # Decomposed input (as some keyboards send it) ends the same.
    assert clean_reference(unicodedata.normalize("NFD", "Quảng Ngãi")) == "QuangNgai"
    payload = build_payload(**{**GOOD, "reference": "Thanh toán ĐH 42"})
    assert tlv(dict(tlv(payload))["62"]) == [("08", "ThanhtoanDH42")]


@pytest.mark.parametrize("change, message", [
    ({"bank_bin": "97043"}, "6-digit"),
    ({"bank_bin": "9704366"}, "6-digit"),
    ({"bank_bin": "97043A"}, "6-digit"),
    ({"bank_bin": "٩٧٠٤٣٦"}, "6-digit"),  # Arabic-Indic digits are digits to str.isdigit, not to a bank
    ({"bank_bin": ""}, "6-digit"),
    ({"bank_bin": 970436}, "6-digit"),
    ({"account_number": ""}, "account number"),
    ({"account_number": "1" * 20}, "account number"),
    ({"account_number": "0011 0012 34"}, "account number"),
    ({"account_number": "0011-001234"}, "account number"),
    ({"account_number": "ĐT001"}, "account number"),
    ({"account_number": None}, "account number"),
    ({"amount": 0}, "positive"),
    ({"amount": -185000}, "positive"),
    ({"amount": MAX_AMOUNT + 1}, "above"),
    ({"amount": 185000.0}, "whole number"),
    ({"amount": "185000"}, "whole number"),
    ({"amount": True}, "whole number"),
    ({"reference": ""}, "empty"),
    ({"reference": "   "}, "empty"),
    ({"reference": "OCOP-2611"}, "only letters and digits"),
    ({"reference": "đơn#1"}, "only letters and digits"),
    ({"reference": "订单1"}, "only letters and digits"),
    ({"reference": "A" * 26}, "longer than 25"),
    ({"reference": None}, "must be text"),
])
def test_bad_input_is_refused_with_a_clear_message(change, message):
    with pytest.raises(ValueError, match=message):
        build_payload(**{**GOOD, **change})


def test_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        build_payload("970436", "1016039126", 185000, "OCOP1")  # noqa


def test_svg_is_safe_to_inline_and_named_for_screen_readers():
    payload = build_payload(**GOOD)
    svg = qr_svg(payload)
    root = ET.fromstring(svg)
    assert root.tag == "svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert root[0].tag == "title" and root[0].text == "VietQR"
    tags = {element.tag for element in root.iter()}
    assert tags <= {"svg", "title", "g", "path"}
    for element in root.iter():
        for name in element.attrib:
            assert not name.startswith("on") and "href" not in name and name != "style"
    assert "http" not in svg and "<script" not in svg and "<?xml" not in svg
    # The modules drawn are those of this payload's code, not of another.
    assert svg != qr_svg(build_payload(**{**GOOD, "amount": 185001}))


def test_png_draws_the_payloads_code_module_by_module():
    payload = build_payload(**GOOD)
    png = qr_png(payload, scale=3)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png)).convert("L")
    matrix = segno.make_qr(payload, error="m").matrix
    modules = len(matrix) + 8  # 4-module quiet zone on each side
    assert image.size == (modules * 3, modules * 3)
    for y in range(modules):
        for x in range(modules):
            dark = 4 <= x < modules - 4 and 4 <= y < modules - 4 and matrix[y - 4][x - 4]
            assert image.getpixel((x * 3 + 1, y * 3 + 1)) == (0 if dark else 255), (x, y)


def test_png_scale_changes_the_size():
    payload = build_payload(**GOOD)
    small = Image.open(io.BytesIO(qr_png(payload, scale=2)))
    default = Image.open(io.BytesIO(qr_png(payload)))
    assert default.size[0] == small.size[0] * 4


@pytest.mark.parametrize("scale", [0, -1, 41, 2.5, "8", True])
def test_png_refuses_a_bad_scale(scale):
    with pytest.raises(ValueError, match="scale"):
        qr_png(build_payload(**GOOD), scale=scale)


@pytest.mark.parametrize("draw", [qr_svg, qr_png])
def test_an_empty_payload_is_refused(draw):
    with pytest.raises(ValueError):
        draw("")


def test_an_app_link_fills_in_the_transfer_as_vietqr_io_documents_it():
    link = app_link("icb", bank_code="vcb", account_number="113366668888", amount=790000,
                           reference="Thanh toan DH123", account_name="NGUYEN VAN A",
                           return_url="https://shop.example/orders/QN7K2M9PXA")
    assert link == ("https://dl.vietqr.io/pay?app=icb&am=790000&tn=ThanhtoanDH123&ba=113366668888@vcb"
                    "&bn=NGUYEN%20VAN%20A&url=https://shop.example/orders/QN7K2M9PXA")
    for bad in ({"app_id": "MB Bank"}, {"bank_code": "v&cb"}, {"app_id": ""}):
        arguments = {"app_id": "mb", "bank_code": "vcb", **bad}
        with pytest.raises(ValueError):
            app_link(arguments.pop("app_id"), account_number="1", amount=1, reference="QN1", **arguments)
