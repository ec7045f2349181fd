"""Spreadsheets out of the shop: the programme report, the listings and the certificates, as CSV or XLSX.

A sheet is a title and rows of cells (the first row its headers). Text that a spreadsheet program
would run as a formula (starting with = + - @, or a tab or carriage return that hides one) is written
with a leading apostrophe, so an exported product name can never become a formula in the office's
Excel (CSV injection). Numbers and dates stay numbers and dates.
"""
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..areas.models import Area
from ..catalog.importer import COLUMNS, GROUP_NAMES_VI, LEVEL_NAMES_VI
from ..catalog.models import Producer, ProducerType, Product
from ..certification.models import Certificate, CertificateStatus
from ..certification.queries import current_stars
from ..extensions import db
from ..labels import SUBGROUP_NAMES
from .programme import PROGRESS_LABELS, figure_rows, status_text, target_text, value_text

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

STATUS_VI = {CertificateStatus.VALID: "Còn hiệu lực", CertificateStatus.NOT_YET_VALID: "Chưa có hiệu lực",
             CertificateStatus.EXPIRED: "Hết hiệu lực", CertificateStatus.REVOKED: "Đã thu hồi"}
PRODUCER_TYPES_VI = {ProducerType.ENTERPRISE: "Doanh nghiệp", ProducerType.COOPERATIVE: "Hợp tác xã",
                     ProducerType.COOPERATIVE_GROUP: "Tổ hợp tác",
                     ProducerType.HOUSEHOLD: "Hộ sản xuất, cơ sở kinh doanh"}


@dataclass
class Sheet:
    title: str
    rows: list[list]


def neutralise(value):
    """A cell as written to a file: text that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (date, datetime)):
        return value.strftime("%d/%m/%Y")
    return str(neutralise(value))


def to_csv(sheets: list[Sheet]) -> bytes:
    """UTF-8 with a byte-order mark, which Excel needs to read Vietnamese. Several sheets follow each
    other, each under its title, separated by an empty line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for index, sheet in enumerate(sheets):
        if len(sheets) > 1:
            if index:
                writer.writerow([])
            writer.writerow([_csv_cell(sheet.title)])
        writer.writerows([_csv_cell(value) for value in row] for row in sheet.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(sheets: list[Sheet]) -> bytes:
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(_sheet_title(sheet.title))
        for number, row in enumerate(sheet.rows):
            cells = []
            for value in row:
                if isinstance(value, bool):
                    value = _("Yes") if value else _("No")
                if isinstance(value, date) or number == 0:
                    cell = WriteOnlyCell(worksheet, value=neutralise(value))
                    if number == 0:
                        cell.font = bold
                    if isinstance(value, date):
                        cell.number_format = "DD/MM/YYYY"
                    value = cell
                else:
                    value = neutralise(value)
                cells.append(value)
            worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # Excel refuses these characters and titles longer than 31 characters.
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()
    return cleaned[:31] or "Sheet"


def render(sheets: list[Sheet], file_format: str) -> bytes:
    if file_format == "csv":
        return to_csv(sheets)
    if file_format == "xlsx":
        return to_xlsx(sheets)
    raise ValueError(f"unknown format {file_format!r}")


def programme_sheets(report) -> list[Sheet]:
    """The programme report as sheets: the same figures the report page shows, in the same order."""
    as_of = report.as_of.strftime("%d/%m/%Y")
    figures = Sheet(_("Figures"), [[_("Figure"), _("Value")]])
    figures.rows += [[label, value] for label, value, _sub in figure_rows(report.figures)]
    figures.rows.append([_("As of"), as_of])
    progress = report.progress
    plan = Sheet(_("Plan progress"), [[_("Target"), _("Achieved"), _("Plan target"), _("Status")]])
    plan.rows += [[str(PROGRESS_LABELS[item.key]), value_text(item), target_text(item), status_text(item)]
                  for item in progress.items]
    plan.rows.append([_("Period"), _("%(start)s to %(end)s", start=f"01/01/{progress.year}", end=as_of),
                      _("Plan of %(year)s", year=progress.plan_year) if progress.plan_year else "", ""])
    sheets = [figures, plan]
    for title, first, breakdowns in ((_("By former district"), _("Former district"), report.districts),
                                     (_("By group"), _("Group"), report.groups)):
        sheet = Sheet(title, [[first, _("Certified products"), _("3 stars"), _("4 stars"), _("5 stars"),
                               _("Producers")]])
        sheet.rows += [[row.label, row.total, row.by_stars[3], row.by_stars[4], row.by_stars[5], row.producers]
                       for row in breakdowns]
        sheet.rows.append([_("Total"), sum(r.total for r in breakdowns),
                           *(sum(r.by_stars[s] for r in breakdowns) for s in (3, 4, 5)), ""])
        sheets.append(sheet)
    return sheets


# --- The catalogue: listings and certificates ---

def certificate_sheet(day: date) -> Sheet:
    """Every certificate, one per row, in the import file's layout (so an export can be edited and
    imported elsewhere), followed by its state on `day`."""

    with force_locale("vi"):
        subgroups = {code: str(name) for code, name in SUBGROUP_NAMES.items()}
    headers = [column.header_vi for column in COLUMNS] + ["Tình trạng", "Ngày thu hồi"]
    rows = [headers]
    certificates = db.session.scalars(
        select(Certificate).join(Product).join(Producer)
        .options(selectinload(Certificate.product).selectinload(Product.producer).selectinload(Producer.area)
                 .selectinload(Area.parent))
        .order_by(Certificate.decision_date, Certificate.id)).all()
    for number, certificate in enumerate(certificates, start=1):
        product = certificate.product
        producer = product.producer
        district = producer.area.former_district
        rows.append([
            number, product.name_vi, product.name_en or "", producer.name, district.name if district else "",
            GROUP_NAMES_VI[product.product_group], subgroups.get(product.subgroup, product.subgroup),
            certificate.stars, certificate.score, certificate.number, certificate.decision_number,
            certificate.decision_date, certificate.authority, LEVEL_NAMES_VI[certificate.level],
            certificate.valid_until, product.price, product.unit_vi, "Có" if product.sold_online else "Không",
            product.five_star_nominated_on, STATUS_VI[certificate.status_on(day)],
            certificate.revoked_on])
    return Sheet("Giấy chứng nhận OCOP", rows)


def product_sheet(day: date) -> Sheet:
    """Every product listing with its producer, place, price, stock and its certification on `day`."""

    certification = current_stars(day)
    rows = [["STT", "Mã (slug)", "Tên sản phẩm", "Tên tiếng Anh", "Chủ thể", "Loại chủ thể", "Xã/phường",
             "Huyện cũ", "Nhóm sản phẩm", "Giá (đồng)", "Đơn vị tính", "Tồn kho", "Bán trực tuyến",
             "Đang hiển thị", "Số sao hiện tại", "Hiệu lực đến", "Đề cử 5 sao"]]
    listing = db.session.execute(
        select(Product, certification.c.stars, certification.c.valid_until)
        .outerjoin(certification, certification.c.product_id == Product.id)
        .options(selectinload(Product.producer).selectinload(Producer.area).selectinload(Area.parent))
        .order_by(Product.name_vi, Product.id)).all()
    for number, (product, stars, valid_until) in enumerate(listing, start=1):
        producer = product.producer
        district = producer.area.former_district
        rows.append([
            number, product.slug, product.name_vi, product.name_en or "", producer.name,
            PRODUCER_TYPES_VI[producer.type], producer.area.name, district.name if district else "",
            GROUP_NAMES_VI[product.product_group], product.price, product.unit_vi, product.stock,
            "Có" if product.sold_online else "Không", "Có" if product.is_published else "Không",
            stars, valid_until, product.five_star_nominated_on])
    return Sheet("Sản phẩm", rows)
