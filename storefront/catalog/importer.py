"""Importing the province's list of OCOP products from a CSV or XLSX file.

Three steps, each usable alone: `read_table` checks the file itself (its size, that it really is CSV
or XLSX, its encoding, its columns) and gives its rows; `check_rows` checks every row against the
rules and the database and reports every problem with its row number, writing nothing (the dry run);
`apply_plan` stages the checked rows in the caller's transaction, with an audit entry for each new
product and certificate. The caller commits once, or rolls everything back.

One row is one certificate (a certifying decision for one product). A product is found by its
producer and Vietnamese name: a row for a product already in the catalogue adds a certificate to it
(a renewal or a new star level); otherwise the product is created. Producers and former districts
must already exist: a name the catalogue does not know is a problem to fix, never a guess.
The columns are described in README.md ("Importing the OCOP product list").
"""
import csv
import functools
import io
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import coordinate_to_tuple
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser
from sqlalchemy import func, select

from ..areas.models import Area, AreaLevel
from ..audit.operations import pending_changes, record
from ..certification.models import Certificate, CertificationLevel
from ..certification.numbers import DASHES, certificate_key
from ..certification.operations import announce_certificates
from ..certification.rules import (PROVINCE_AUTHORITY, check_certificate, default_level, default_valid_until,
                                   number_breach)
from ..clock import today
from ..errors import DomainError
from ..extensions import db
from ..labels import SUBGROUP_NAMES
from ..text import fold as _fold_text
from ..text import nfc, slugify
from .forms import MAX_PRICE
from .models import SUBGROUPS, Producer, Product, ProductGroup
# The same districts, groups and producers come back on every row: fold each text once.
fold = functools.lru_cache(maxsize=50_000)(_fold_text)
MAX_ROWS = 20_000
MAX_ZIP_MEMBERS = 200
MAX_ZIP_RATIO = 200  # an XLSX compresses text well, but not 200 times over


@dataclass(frozen=True)
class Column:
    key: str
    header_vi: str
    header_en: str
    required: bool = False
    max_length: int | None = None
    kind: str = "text"  # how a cell is read: text, integer, date, money, yes_no, or ignored


COLUMNS: tuple[Column, ...] = (
    Column("row_label", "STT", "No.", kind="ignored"),
    Column("name_vi", "Tên sản phẩm", "Product name", True, 200),
    Column("name_en", "Tên tiếng Anh", "English name", False, 200),
    Column("producer", "Chủ thể", "Producer", True, 200),
    Column("district", "Huyện cũ", "Former district", True, 200),
    Column("group", "Nhóm sản phẩm", "Group", True, 200),
    Column("subgroup", "Phân nhóm", "Subgroup", True, 200),
    Column("stars", "Số sao", "Stars", True, kind="integer"),
    Column("score", "Điểm", "Score", True, kind="integer"),
    Column("certificate_number", "Số giấy chứng nhận", "Certificate number", True, 60),
    Column("decision_number", "Số quyết định", "Decision number", True, 60),
    Column("decision_date", "Ngày quyết định", "Decision date", True, kind="date"),
    Column("authority", "Cơ quan cấp", "Authority", False, 200),
    Column("level", "Cấp công nhận", "Level", False, 200),
    Column("valid_until", "Hiệu lực đến", "Valid until", False, kind="date"),
    Column("price", "Giá (đồng)", "Price (VND)", False, kind="money"),
    Column("unit", "Đơn vị tính", "Unit", False, 80),
    Column("sold_online", "Bán trực tuyến", "Sold online", False, kind="yes_no"),
    Column("nominated", "Đề cử 5 sao", "5-star nomination", False, kind="date"),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}

# The groups' names in Decision 148/QĐ-TTg, as the province's lists write them.
GROUP_NAMES_VI = {
    ProductGroup.FOOD: "Thực phẩm",
    ProductGroup.DRINKS: "Đồ uống",
    ProductGroup.HERBS: "Thảo dược",
    ProductGroup.HANDICRAFTS: "Thủ công mỹ nghệ",
    ProductGroup.ORNAMENTALS: "Sinh vật cảnh",
    ProductGroup.TOURISM: "Du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
}
GROUP_NAMES_EN = {
    ProductGroup.FOOD: "Food", ProductGroup.DRINKS: "Drinks", ProductGroup.HERBS: "Medicinal herbs",
    ProductGroup.HANDICRAFTS: "Handicrafts", ProductGroup.ORNAMENTALS: "Ornamental plants and animals",
    ProductGroup.TOURISM: "Community and eco-tourism, tourist sites",
}
LEVEL_NAMES_VI = {CertificationLevel.CENTRAL: "Trung ương", CertificationLevel.PROVINCE: "Tỉnh",
                  CertificationLevel.DISTRICT: "Huyện"}
YES = {"co", "x", "yes", "y", "1", "true", "dung"}
NO = {"khong", "no", "n", "0", "false", "sai", ""}
DISTRICT_PREFIXES = ("huyen dao ", "huyen ", "thi xa ", "thanh pho ", "tp. ", "tp ", "tx. ", "tx ")


class ImportFileError(DomainError):
    """The file cannot be read as the product list at all (its message is safe to show)."""


@dataclass(frozen=True)
class Problem:
    row: int | None  # the spreadsheet's row number (the header is row 1); None for the file itself
    column: str  # the column's header as written in the file, or ""
    message: str


@dataclass
class Table:
    file_format: str  # "csv" or "xlsx"
    headers: dict[str, str]  # column key → the header as the file writes it
    ignored_headers: list[str]
    rows: list[tuple[int, dict[str, object]]]  # (row number, {column key: raw value})


@dataclass
class RowPlan:
    """A checked row: what applying it will create."""

    row: int
    product: Product | None  # the existing product it certifies, or None for a new product
    product_key: tuple
    producer: Producer
    values: dict


@dataclass
class ImportReport:
    file_format: str = ""
    row_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    plans: list[RowPlan] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.plans)

    @property
    def new_products(self) -> int:
        return len({plan.product_key for plan in self.plans if plan.product is None})

    @property
    def new_certificates(self) -> int:
        return len(self.plans)

    @property
    def rows_with_problems(self) -> int:
        return len({problem.row for problem in self.problems if problem.row is not None})


# --- Reading the file ---

def sniff_format(data: bytes, max_unpacked: int) -> str:
    """"csv" or "xlsx", judged by the content (never by the file's name); refuses anything else."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        _check_workbook_archive(data, max_unpacked)
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(_("This is an old Excel 97–2003 (.xls) file: save it as an Excel workbook "
                                "(.xlsx) or as CSV UTF-8, then upload it again."))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(_("The file is in UTF-16: save it as “CSV UTF-8” and upload it again."))
    if b"\x00" in data[:8192]:
        raise ImportFileError(_("This is not a CSV or XLSX file."))
    return "csv"


def _check_workbook_archive(data: bytes, max_unpacked: int) -> None:
    """An XLSX is a ZIP archive: refuse one that is not a workbook or that would unpack to far more than
    its size (a "zip bomb"), before anything reads its contents."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError(_("The file looks like an Excel workbook but is damaged.")) from None
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportFileError(_("This is a ZIP archive, not an Excel workbook (.xlsx)."))
    unpacked = sum(member.file_size for member in members)
    if (len(members) > MAX_ZIP_MEMBERS or unpacked > max_unpacked
            or any(member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1) and member.file_size > 1_000_000
                   for member in members)):
        raise ImportFileError(_("The workbook unpacks to far more data than a product list holds; it was "
                                "refused."))


def read_table(data: bytes, max_unpacked: int = 50 * 1024 * 1024) -> Table:
    file_format = sniff_format(data, max_unpacked)
    raw_rows = _xlsx_rows(data) if file_format == "xlsx" else _csv_rows(data)
    header_row, headers = None, []
    for number, values in raw_rows:
        if any(_text(value) for value in values):
            header_row, headers = number, values
            break
    if header_row is None:
        raise ImportFileError(_("The file has no rows."))
    positions, named, ignored = {}, {}, []
    for position, header in enumerate(headers):
        text = _text(header)
        if not text:
            continue
        key = _column_for_header(text)
        if key is None or key in positions:
            ignored.append(text)
            continue
        positions[key], named[key] = position, text
    missing = [column for column in COLUMNS if column.required and column.key not in positions]
    if missing:
        raise ImportFileError(_("Required columns are missing: %(columns)s. The first row must hold the column "
                                "headers (see the sample file).",
                                columns=", ".join(f"“{column.header_vi}”" for column in missing)))
    rows = []
    for number, values in raw_rows:
        if number <= header_row or not any(_text(value) for value in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(_("The file has more than %(count)s rows: split it.", count=MAX_ROWS))
        rows.append((number, {key: values[position] if position < len(values) else None
                              for key, position in positions.items()}))
    return Table(file_format, named, ignored, rows)


def _csv_rows(data: bytes) -> list[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is not in UTF-8, so Vietnamese letters would be garbled: in Excel, "
                                "save it as “CSV UTF-8 (Comma delimited)” and upload it again.")) from None
    first_line = text.lstrip().split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return [(number, row) for number, row in
                enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)]
    except csv.Error:
        raise ImportFileError(_("The CSV file is malformed (an unclosed quotation mark?).")) from None


@dataclass(frozen=True)
class Formula:
    """A workbook cell holding a formula (its value is whatever the spreadsheet last computed: never read)."""

    text: str


@dataclass(frozen=True)
class CellError:
    """A workbook cell holding an error (#N/A, #REF!…), or one that cannot be read at all (code "")."""

    code: str


class _TolerantSheetParser(WorkSheetParser):
    """openpyxl's sheet parser, except that a cell it cannot read (text in a number cell, a date beyond the
    calendar, a string index out of range…) becomes a CellError in its place instead of ending the file; a
    formula becomes a Formula and an error an CellError, so that no cell passes for what it is not."""

    def parse_cell(self, element):
        coordinate = element.get("r")
        try:
            position = coordinate_to_tuple(coordinate) if coordinate else None
        except (TypeError, ValueError):
            raise ImportFileError(_("The Excel workbook could not be read; it may be damaged.")) from None
        try:
            cell = super().parse_cell(element)
        except Exception:  # noqa: BLE001  (openpyxl raises many kinds for one malformed cell)
            row, column = position if position else (self.row_counter, self.col_counter + 1)
            self.col_counter = column
            value = Formula("") if element.find(FORMULA_TAG) is not None else CellError("")
            return {"row": row, "column": column, "value": value, "data_type": "e", "style_id": 0}
        value = cell["value"]
        if cell["data_type"] == "f":
            cell["value"] = Formula(str(getattr(value, "text", value) or ""))
        elif cell["data_type"] == "e":
            cell["value"] = CellError(str(value))
        return cell


def _xlsx_rows(data: bytes) -> list[tuple[int, list]]:
    # openpyxl warns about what it skips (styles, extensions, dates out of range): the cells say it all.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except Exception:  # noqa: BLE001  (openpyxl raises many kinds for a damaged workbook)
            raise ImportFileError(_("The Excel workbook could not be read; it may be damaged.")) from None
        try:
            if not workbook.worksheets:
                raise ImportFileError(_("The Excel workbook has no sheet of rows."))
            return _sheet_rows(workbook, workbook.worksheets[0])
        except ImportFileError:
            raise
        except Exception:  # noqa: BLE001  (a damaged sheet: XML that does not parse, a bad row number…)
            raise ImportFileError(_("The Excel workbook could not be read; it may be damaged.")) from None
        finally:
            workbook.close()


def _sheet_rows(workbook, sheet) -> list[tuple[int, list]]:
    """The first sheet's rows as (row number, values by column), read cell by cell with _TolerantSheetParser.
    (openpyxl's own reading stops at the first cell it cannot convert.)"""
    rows = []
    with sheet._get_source() as source:  # noqa: SLF001  (the read-only sheet's XML, as openpyxl reads it)
        parser = _TolerantSheetParser(source, sheet._shared_strings, data_only=False,  # noqa: SLF001
                                      epoch=workbook.epoch, date_formats=workbook._date_formats,  # noqa: SLF001
                                      timedelta_formats=workbook._timedelta_formats)  # noqa: SLF001
        for number, cells in parser.parse():
            values = [None] * max((cell["column"] for cell in cells), default=0)
            for cell in cells:
                values[cell["column"] - 1] = cell["value"]
            rows.append((number, values))
            if len(rows) > MAX_ROWS + 100:
                break
    return rows


def _text(value) -> str:
    """Any cell as text, for headers, blank rows and messages (never fails)."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        value = value.text
    elif isinstance(value, CellError):
        value = value.code
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


# --- Reading one cell as its column expects ---

INTEGER_MESSAGES = {
    "stars": lambda: _("Stars must be 3, 4 or 5: only products rated 3 stars or more are certified."),
    "score": lambda: _("The score must be a whole number from 0 to 100."),
}

FORMULA_SIGNS = ("=", "+", "-", "@")
_CONTROL = frozenset({"Cc", "Cs"})
_PLACEHOLDER = re.compile(f"[\\s{re.escape(DASHES)}]+")  # "-" or "–" alone: the lists' "nothing here"


class _CellProblem(Exception):
    """The cell cannot be read as its column expects; the message says why, in the user's language."""


def _runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet would run this text as a formula (or a tab or carriage return hides one)."""
    return text.startswith(("\t", "\r")) or text.strip().startswith(FORMULA_SIGNS)


def _not_plain(value, expected: str):
    """The problem of a cell of the wrong type: a formula, an error, a date, a yes/no…"""
    if isinstance(value, Formula):
        return _CellProblem(_("A formula: type the value itself (the import never runs formulas)."))
    if isinstance(value, CellError) and value.code:
        return _CellProblem(_("The cell shows the error %(code)s: type the value itself.", code=value.code[:20]))
    if isinstance(value, bool):
        return _CellProblem(_("A yes/no (TRUE/FALSE) cell where %(expected)s is expected.", expected=expected))
    if isinstance(value, (datetime, date, time, timedelta)):
        return _CellProblem(_("A date or time where %(expected)s is expected.", expected=expected))
    if isinstance(value, (int, float)):
        return _CellProblem(_("A number where %(expected)s is expected.", expected=expected))
    return _CellProblem(_("This cell cannot be read: type its value again."))


def _cell_string(value) -> str | None:
    """A text cell's text: NFC, spaces collapsed; None when the cell is not text."""
    if not isinstance(value, str):
        return None
    return " ".join(unicodedata.normalize("NFC", value).split())


def _read_text(value) -> str:
    """A text column's value; a whole number reads as its digits (a certificate numbered 12)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise _CellProblem(_("This cell cannot be read: type its value again."))
        return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(value)
    if not isinstance(value, str):
        raise _not_plain(value, _("text"))
    raw = unicodedata.normalize("NFC", value)
    if _PLACEHOLDER.fullmatch(raw):
        return ""
    if raw.startswith("'") and _runs_as_formula(raw[1:]):
        raw = raw[1:]  # written with a leading apostrophe, as the exports write such text: it is text
    elif _runs_as_formula(raw):
        sign = raw.strip()[:1] if raw.strip()[:1] in FORMULA_SIGNS else raw[:1]
        raise _CellProblem(_("Starts with “%(sign)s”: a spreadsheet would run it as a formula. Type the text "
                             "without it.", sign={"\t": "Tab", "\r": "CR"}.get(sign, sign)))
    # Invisible formatting (soft hyphens, zero-width spaces, direction marks) goes; control characters are refused.
    text = " ".join("".join(ch for ch in raw if unicodedata.category(ch) != "Cf").split())
    if any(unicodedata.category(ch) in _CONTROL for ch in text):
        raise _CellProblem(_("Contains invisible control characters: type the text again."))
    return text


def _read_integer(value, message: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    text = _cell_string(value)
    if text is None:
        if isinstance(value, float):
            raise _CellProblem(message)
        raise _not_plain(value, _("a whole number"))
    text = unicodedata.normalize("NFKC", text)
    if re.fullmatch(r"[+-]?\d{1,9}", text):
        return int(text)
    if re.fullmatch(r"[+-]?\d{1,9}[.,]0+", text):
        return int(re.split(r"[.,]", text)[0])
    if _runs_as_formula(value):
        _read_text(value)  # raises the formula problem
    raise _CellProblem(message)


def _read_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _cell_string(value)
    if text is None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise _CellProblem(_("A number, not a date: write it as dd/mm/yyyy."))
        raise _not_plain(value, _("a date"))
    if not text or _PLACEHOLDER.fullmatch(text):
        return None
    text = unicodedata.normalize("NFKC", text)
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    if _runs_as_formula(value):
        _read_text(value)  # raises the formula problem
    raise _CellProblem(_("Not a date: write it as dd/mm/yyyy."))


def _read_money(value) -> int | None:
    message = _("The price must be a whole number of đồng, like 185000.")
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not (math.isfinite(value) and float(value).is_integer() and value >= 0):
            raise _CellProblem(message)
        price = int(value)
    else:
        text = _cell_string(value)
        if text is None:
            raise _not_plain(value, _("a price"))
        if not text or _PLACEHOLDER.fullmatch(text):
            return None
        plain = unicodedata.normalize("NFKC", text).replace("₫", "").replace("đ", "").replace("VND", "").strip()
        if not re.fullmatch(r"\d{1,3}([.,\s]\d{3})+|\d{1,13}", plain):
            if _runs_as_formula(value) and not re.fullmatch(r"[+-]\s*\d[\d.,\s]*", plain):
                _read_text(value)  # raises the formula problem
            raise _CellProblem(message)
        price = int(re.sub(r"\D", "", plain))
    if price > MAX_PRICE:
        raise _CellProblem(_("The price is too high: at most %(price)s đồng.", price=f"{MAX_PRICE:,}".replace(",", ".")))
    return price


def _read_yes_no(value) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = _cell_string(value)
    if text is None:
        raise _not_plain(value, _("Có or Không"))
    folded = fold(text)
    if folded in YES:
        return True
    if folded in NO or _PLACEHOLDER.fullmatch(text):
        return False
    if _runs_as_formula(value):
        _read_text(value)  # raises the formula problem
    raise _CellProblem(_("Write “Có” or “Không”."))


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


_HEADERS = {}
for _column in COLUMNS:
    _HEADERS[_header_key(_column.header_vi)] = _column.key
    _HEADERS[_header_key(_column.header_en)] = _column.key
    _HEADERS[_column.key.replace("_", " ")] = _column.key


def _column_for_header(text: str) -> str | None:
    return _HEADERS.get(_header_key(text))


# --- Checking the rows (the dry run) ---

class _RowProblems(Exception):
    pass


class _Checker:
    def __init__(self, table: Table):
        self.table = table
        self.report = ImportReport(file_format=table.file_format, row_count=len(table.rows),
                                   ignored_headers=table.ignored_headers)
        self.districts = {}
        for area in db.session.scalars(select(Area).where(Area.level == AreaLevel.FORMER_DISTRICT)):
            self.districts[_district_key(area.name)] = area
            self.districts[fold(area.slug.replace("-", " "))] = area
        self.producers: dict[tuple[int, str], list[Producer]] = {}
        self.producer_districts: dict[str, list[Area]] = {}
        for producer, level, area_id, parent_id in db.session.execute(
                select(Producer, Area.level, Area.id, Area.parent_id).join(Area, Area.id == Producer.area_id)):
            district_id = area_id if level == AreaLevel.FORMER_DISTRICT else parent_id
            self.producers.setdefault((district_id, fold(producer.name)), []).append(producer)
            self.producer_districts.setdefault(fold(producer.name), []).append(district_id)
        self.products = {(product.producer_id, fold(product.name_vi)): product
                         for product in db.session.scalars(select(Product))}
        self.slugs = set(db.session.scalars(select(Product.slug)))
        # Numbers compare by their key, as the database's uniqueness rule does (certification/numbers.py).
        self.certificate_numbers = {(fold(authority), key): None for authority, key in
                                    db.session.execute(select(Certificate.authority, Certificate.number_key))}
        self.decisions = {(fold(authority), fold(number), product_id): None
                          for authority, number, product_id in db.session.execute(
                              select(Certificate.authority, Certificate.decision_number, Certificate.product_id))}
        self.subgroups = self._subgroup_names()
        self.file_products: dict[tuple, str] = {}

    def _subgroup_names(self) -> dict[tuple[int, str], str]:
        names = {}
        for group, codes in SUBGROUPS.items():
            for code in codes:
                names[(int(group), _header_key(code))] = code
                for lang in ("vi", "en"):
                    with force_locale(lang):
                        names[(int(group), _header_key(str(SUBGROUP_NAMES[code])))] = code
        return names

    def check(self) -> ImportReport:
        if not self.table.rows:
            self.report.problems.append(Problem(None, "", _("The file has no rows below its headers.")))
        for number, raw in self.table.rows:
            problems: list[Problem] = []
            values = self._values(number, raw, problems)
            self._plan(number, values, problems)
            self.report.problems.extend(problems)
        return self.report

    def _header(self, key: str) -> str:
        return self.table.headers.get(key) or COLUMNS_BY_KEY[key].header_vi

    def _values(self, number: int, raw: dict, problems: list[Problem]) -> dict:
        """The row's cells read as their columns expect; each cell that cannot be is a problem of the row
        (whatever it holds: text, a number, a date, a yes/no, a formula, an error or nothing)."""
        values = {}
        unreadable = set()

        def problem(key, message):
            problems.append(Problem(number, self._header(key), message))

        readers = {
            "integer": lambda key, cell: _read_integer(cell, INTEGER_MESSAGES[key]()),
            "date": lambda key, cell: _read_date(cell),
            "money": lambda key, cell: _read_money(cell),
            "yes_no": lambda key, cell: _read_yes_no(cell),
            "text": lambda key, cell: _read_text(cell),
        }
        for column in COLUMNS:
            if column.kind == "ignored":
                continue
            try:
                value = readers[column.kind](column.key, raw.get(column.key))
            except _CellProblem as error:
                problem(column.key, str(error))
                unreadable.add(column.key)
                value = None
            if value in (None, "") and column.required and column.key not in unreadable:
                problem(column.key, _("Empty: this column is required."))
                unreadable.add(column.key)
            elif column.max_length and isinstance(value, str) and len(value) > column.max_length:
                problem(column.key, _("Too long: at most %(count)s characters.", count=column.max_length))
                unreadable.add(column.key)
            values[column.key] = value
        for key in ("name_en", "unit", "authority", "level"):
            values[key] = values[key] or ""
        if any(COLUMNS_BY_KEY[key].kind == "text" for key in unreadable):
            return values  # the names that find the producer and the product are needed to go further

        district = self.districts.get(_district_key(values["district"]))
        if district is None:
            problem("district", _("Unknown former district “%(name)s”.", name=values["district"]))
        values["district"] = district

        group = _group(values["group"])
        if group is None:
            problem("group", _("Unknown group “%(name)s”: write 1 to 6 or the group’s name.", name=values["group"]))
        values["group"] = group
        if group is not None:
            code = self.subgroups.get((int(group), _header_key(values["subgroup"])))
            if code is None:
                problem("subgroup", _("“%(name)s” is not a subgroup of group %(group)s.",
                                      name=values["subgroup"], group=int(group)))
            values["subgroup"] = code

        if (breach := number_breach(values["certificate_number"])) is not None:
            problem("certificate_number", breach.message)

        values["authority"] = values["authority"] or PROVINCE_AUTHORITY
        level = _level(values["level"]) if values["level"] else default_level(values["stars"], values["authority"])
        if level is None:
            problem("level", _("Unknown level “%(name)s”: write Trung ương, Tỉnh or Huyện.", name=values["level"]))
        values["level"] = level

        # The certificate's own rules, as the office's form applies them (certification/rules.py).
        for breach in check_certificate(stars=values["stars"], score=values["score"], level=level,
                                        decision_date=values["decision_date"], valid_until=values["valid_until"],
                                        today=today()):
            problem(breach.field, breach.message)
        if values["valid_until"] is None and values["decision_date"] is not None \
                and "decision_date" not in {p.column for p in problems if p.row == number} \
                and values["decision_date"] <= today():
            values["valid_until"] = default_valid_until(values["decision_date"])

        if values["nominated"] is not None and values["nominated"] > today():
            problem("nominated", _("The nomination date is in the future."))
        return values

    def _plan(self, number: int, values: dict, problems: list[Problem]) -> None:
        def problem(key, message):
            problems.append(Problem(number, self._header(key), message))

        # Checked even when other cells of the row have problems, so the report lists them all at once.
        authority = values["authority"] or PROVINCE_AUTHORITY
        if values["certificate_number"] and isinstance(values["certificate_number"], str):
            number_key = (fold(authority), certificate_key(values["certificate_number"]))
            if number_key in self.certificate_numbers:
                earlier = self.certificate_numbers[number_key]
                problem("certificate_number",
                        _("Certificate %(number)s of %(authority)s is already in row %(row)s.",
                          number=values["certificate_number"], authority=authority, row=earlier) if earlier else
                        _("Certificate %(number)s of %(authority)s is already in the catalogue.",
                          number=values["certificate_number"], authority=authority))
            self.certificate_numbers.setdefault(number_key, number)
        district = values.get("district")
        if not isinstance(district, Area) or not values["producer"]:
            return
        candidates = self.producers.get((district.id, fold(values["producer"])), [])
        if len(candidates) != 1:
            elsewhere = [d for d in self.producer_districts.get(fold(values["producer"]), []) if d != district.id]
            if len(candidates) > 1:
                problem("producer", _("Several producers in %(district)s are named “%(name)s”.",
                                      district=district.name, name=values["producer"]))
            elif elsewhere:
                problem("producer", _("“%(name)s” is not a producer of %(district)s: check the former district.",
                                      name=values["producer"], district=district.name))
            else:
                problem("producer", _("Unknown producer “%(name)s”: add the producer to the catalogue first.",
                                      name=values["producer"]))
            return
        producer = candidates[0]
        product_key = (producer.id, fold(values["name_vi"]))
        product = self.products.get(product_key)

        decision_key = (fold(values["authority"]), fold(values["decision_number"]),
                        product.id if product else product_key)
        if decision_key in self.decisions:
            earlier = self.decisions[decision_key]
            problem("decision_number", _("Decision %(number)s already certifies this product in row %(row)s.",
                                         number=values["decision_number"], row=earlier) if earlier else
                    _("Decision %(number)s already certifies this product in the catalogue.",
                      number=values["decision_number"]))
        if product is None:
            if product_key not in self.file_products:  # else an earlier row creates it
                self.file_products[product_key] = self._new_slug(values["name_vi"], producer)
            if values["group"] is not None and (mismatch := self._group_mismatch(product_key, values)):
                problem("group", mismatch)
        elif values["group"] is not None and product.group != int(values["group"]):
            problem("group", _("The product is in group %(group)s in the catalogue.", group=product.group))
        self.decisions.setdefault(decision_key, number)
        if not problems:
            values["slug"] = None if product else self.file_products[product_key]
            self.report.plans.append(RowPlan(number, product, product_key, producer, values))

    def _group_mismatch(self, product_key, values) -> str | None:
        for plan in self.report.plans:
            if plan.product_key == product_key and plan.product is None and plan.values["group"] != values["group"]:
                return _("Row %(row)s puts the same product in group %(group)s.", row=plan.row,
                         group=int(plan.values["group"]))
        return None

    def _new_slug(self, name: str, producer: Producer) -> str:
        base = slugify(name)[:120] or "san-pham"
        slug = base
        if slug in self.slugs:
            slug = f"{base}-{slugify(producer.name)}"[:150].strip("-")
        counter = 2
        while slug in self.slugs:
            slug = f"{base}-{counter}"
            counter += 1
        self.slugs.add(slug)
        return slug


def check_rows(table: Table) -> ImportReport:
    """The dry run: every row checked against the rules and the database; nothing is written."""
    with db.session.no_autoflush:
        return _Checker(table).check()


def dry_run(data: bytes, max_unpacked: int = 50 * 1024 * 1024) -> ImportReport:
    """read_table then check_rows; a file that cannot be read gives a report with one file problem."""
    try:
        table = read_table(data, max_unpacked)
    except ImportFileError as error:
        return ImportReport(problems=[Problem(None, "", str(error))])
    return check_rows(table)


def _district_key(name: str) -> str:
    folded = fold(name).strip()
    for prefix in DISTRICT_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix):].strip()
    return folded


def _group(text: str) -> ProductGroup | None:
    if re.fullmatch(r"[+-]?\d{1,9}", text):
        number = int(text)
        return ProductGroup(number) if 1 <= number <= 6 else None
    key = _header_key(text)
    for group in ProductGroup:
        if key in (_header_key(GROUP_NAMES_VI[group]), _header_key(GROUP_NAMES_EN[group])):
            return group
    return None


def _level(text: str) -> CertificationLevel | None:
    key = _header_key(text)
    for level in CertificationLevel:
        if key in (_header_key(LEVEL_NAMES_VI[level]), level.value, f"cap {_header_key(LEVEL_NAMES_VI[level])}"):
            return level
    return None


# --- Applying a checked plan ---

def apply_plan(report: ImportReport, source: str, advance: Callable[[int], None] = lambda steps: None
               ) -> tuple[int, int]:
    """Stage every planned row (products and certificates, each with its audit entry) in the caller's
    transaction. Returns (new products, new certificates). Refuses a report that has problems."""
    if not report.ok:
        raise DomainError(_("The file has problems: nothing was imported."))
    created: dict[tuple, Product] = {}
    # Audit entries are written after one flush for the whole file (a flush per new object, to learn
    # its id, made a long list crawl); their changes are taken before it, as record() needs.
    entries: list[tuple[str, object, dict, str]] = []
    # What each product held before each row, to tell its producer "issued", "renewed" or "upgraded".
    existing = {plan.product.id for plan in report.plans if plan.product is not None}
    best_stars: dict[tuple, int] = {}
    if existing:
        stars_of = dict(db.session.execute(select(Certificate.product_id, func.max(Certificate.stars))
                                           .where(Certificate.product_id.in_(existing))
                                           .group_by(Certificate.product_id)).all())
        best_stars = {plan.product_key: stars_of[plan.product.id] for plan in report.plans
                      if plan.product is not None and plan.product.id in stars_of}
    announced: list[tuple[Certificate, str]] = []
    for plan in report.plans:
        values = plan.values
        note = _("Imported from %(file)s, row %(row)s", file=source, row=plan.row)
        product = plan.product or created.get(plan.product_key)
        if product is None:
            group = values["group"]
            product = Product(
                slug=values["slug"], producer=plan.producer, group=int(group), subgroup=values["subgroup"],
                name_vi=values["name_vi"], name_en=values["name_en"] or None, price=values["price"],
                unit_vi=values["unit"], stock=0, sold_online=values["sold_online"],
                shippable=not group.is_visited_not_shipped, is_published=True,
                five_star_nominated_on=values["nominated"])
            db.session.add(product)
            entries.append(("product.import", product, pending_changes(product), note))
            created[plan.product_key] = product
        elif values["nominated"] and product.five_star_nominated_on != values["nominated"]:
            product.five_star_nominated_on = values["nominated"]
            record("product.import", product, note=note)
        certificate = Certificate(
            product=product, number=values["certificate_number"], stars=values["stars"], score=values["score"],
            decision_number=values["decision_number"], decision_date=values["decision_date"],
            authority=values["authority"], level=values["level"], valid_from=values["decision_date"],
            valid_until=values["valid_until"])
        db.session.add(certificate)
        entries.append(("certificate.import", certificate, pending_changes(certificate), note))
        before = best_stars.get(plan.product_key)
        announced.append((certificate, "issued" if before is None else "upgraded" if values["stars"] > before
                          else "renewed"))
        best_stars[plan.product_key] = max(before or 0, values["stars"])
        advance(1)
    db.session.flush()
    for action, obj, changes, note in entries:
        for key in ("producer_id", "product_id"):  # set by the flush from the relationships
            if getattr(obj, key, None) is not None:
                changes[key] = [None, getattr(obj, key)]
        record(action, obj, changes=changes, note=note)
    db.session.flush()
    # Producers hear of the certificates in force (a list may also record old, ended ones: no news).
    day = today()
    announce_certificates([(certificate, event) for certificate, event in announced
                           if certificate.valid_until >= day])
    return len(created), sum(action == "certificate.import" for action, *_rest in entries)
