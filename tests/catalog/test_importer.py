"""Importing the province's OCOP product list: every problem reported with its row before anything is
written, then every row imported in one transaction, on the command line."""
import csv
import io
import math
import unicodedata
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from catalog_files_fixture import sample_producers  # noqa: F401  (a fixture)
from flask_babel import force_locale
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from storefront.audit.models import AuditEntry
from storefront.catalog import cli as catalog_cli
from storefront.catalog.importer import COLUMNS, COLUMNS_BY_KEY, ImportFileError, apply_plan, dry_run, read_table
from storefront.catalog.models import Product
from storefront.certification.models import Certificate, CertificationLevel
from storefront.errors import DomainError
from storefront.extensions import db

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "ocop-import-sample.csv"
HEADER = ",".join(column.header_vi for column in COLUMNS)


@pytest.fixture(autouse=True)
def in_english():
    """Outside a request the shop speaks Vietnamese; these tests read the English messages."""
    with force_locale("en"):
        yield


def counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Product, Certificate, AuditEntry))


def row(name=None, producer="HTX Sản xuất và kinh doanh tỏi Kim Lộc", district="Lý Sơn",
        group="Thực phẩm", subgroup="Thực phẩm chế biến", stars="3", score="60", number="C-1",
        decision="10/QĐ-UBND", decided="01/09/2026", **extra) -> str:
    values = {"row_label": "", "name_vi": f"Mật ong rừng Kim Lộc {number}" if name is None else name, "name_en": "", "producer": producer, "district": district,
              "group": group, "subgroup": subgroup, "stars": stars, "score": score, "certificate_number": number,
              "decision_number": decision, "decision_date": decided, **extra}
    return ",".join(f'"{values.get(column.key, "")}"' for column in COLUMNS)


def test_the_dry_run_reports_every_mistake_with_its_row_and_writes_nothing(
        sample_producers, make_product, make_certificate, travel_to):
    travel_to(date(2026, 11, 22))
    existing = make_product(name_vi="Tỏi đen Kim Lộc", producer=sample_producers[
        "HTX Sản xuất và kinh doanh tỏi Kim Lộc"], stars=None)
    make_certificate(existing).number = "C-OLD"
    db.session.commit()
    before = counts()
    lines = [HEADER,
             row(producer="HTX Không Có Thật", number="C-2"),                      # 2 unknown producer
             row(stars="2", score="40", number="C-3"),                             # 3 not certified stars
             row(stars="4", score="65", number="C-4"),                             # 4 score for 3 stars
             row(decided="31/02/2026", number="C-5"),                              # 5 no such day
             row(group="Đồ gỗ", number="C-6"),                                     # 6 unknown group
             row(district="Huyện Ma", number="C-7"),                               # 7 unknown district
             row(name="Nước tỏi Kim Lộc", number="C-8", decision="20/QĐ-UBND"),    # 8 fine
             row(name="Nước tỏi Kim Lộc", number="C-8", decision="20/QĐ-UBND"),    # 9 duplicate of row 8
             row(name="Tỏi ngâm Kim Lộc", number="C-OLD"),                         # 10 number in the database
             row(name="", number="C-11"),                                          # 11 required value missing
             row(subgroup="Tinh dầu", number="C-12"),                              # 12 subgroup of another group
             row(decided="01/01/2027", number="C-13"),                             # 13 in the future
             row(stars="ba", number="C-14", price="mười nghìn"),                   # 14 not numbers
             row(producer="HTX Dệt thổ cẩm An Đạt", number="C-15"),                # 15 producer of another district
             row(district="Ba Tư", number="c-old"),                                # 16 two problems in one row
             ]
    report = dry_run("\n".join(lines).encode("utf-8"))
    found = {(problem.row, problem.column) for problem in report.problems}
    assert found == {
        (2, "Chủ thể"), (3, "Số sao"), (4, "Điểm"), (5, "Ngày quyết định"), (6, "Nhóm sản phẩm"),
        (7, "Huyện cũ"), (9, "Số giấy chứng nhận"), (9, "Số quyết định"), (10, "Số giấy chứng nhận"),
        (11, "Tên sản phẩm"), (12, "Phân nhóm"), (13, "Ngày quyết định"), (14, "Số sao"), (14, "Giá (đồng)"),
        (15, "Chủ thể"), (16, "Huyện cũ"), (16, "Số giấy chứng nhận")}
    messages = {(problem.row, problem.column): problem.message for problem in report.problems}
    assert "Unknown producer “HTX Không Có Thật”" in messages[2, "Chủ thể"]
    assert messages[4, "Điểm"] == "A score of 65 gives 3 stars, not 4."
    assert "row 8" in messages[9, "Số giấy chứng nhận"] and "row 8" in messages[9, "Số quyết định"]
    assert "already in the catalogue" in messages[10, "Số giấy chứng nhận"]
    assert "not a producer of Ba Tơ" not in messages[15, "Chủ thể"]
    assert "not a producer of Lý Sơn" in messages[15, "Chủ thể"]
    assert not report.ok and report.row_count == 15 and report.rows_with_problems == 14
    with pytest.raises(Exception, match="nothing was imported"):
        apply_plan(report, "mistakes.csv")
    db.session.rollback()
    assert counts() == before


@pytest.mark.parametrize("data,message", [
    (b"", "The file is empty."),
    ("Tên sản phẩm;Chủ thể\nTỏi;HTX\n".encode(), "Required columns are missing: “Huyện cũ”, “Nhóm sản phẩm”"),
    ((HEADER + "\nTỏi đen,x").encode("cp1258", errors="replace"), "not in UTF-8"),
    ("\ufeff".encode("utf-16-le") + HEADER.encode("utf-16-le"), "UTF-16"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "not a CSV or XLSX file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "Excel 97–2003 (.xls)"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + bytes(10), "not a CSV or XLSX file"),
])
def test_files_that_are_not_the_product_list_are_refused(data, message):
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_table(data)
    assert message in dry_run(data).problems[0].message


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_bomb_dressed_as_a_workbook_is_refused_before_it_is_unpacked():
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                 "xl/worksheets/sheet1.xml": bytes(80 * 1024 * 1024)})
    assert len(bomb) < 200_000
    with pytest.raises(ImportFileError, match="unpacks to far more data"):
        read_table(bomb)
    with pytest.raises(ImportFileError, match="not an Excel workbook"):
        read_table(_zip({"notes.txt": b"hello"}))


def test_the_sample_file_imports_on_the_command_line_with_progress_and_audit(
        app, sample_producers, client, travel_to):
    travel_to(date(2026, 11, 22))
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["catalog", "import", str(SAMPLE), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run: 4 row(s) checked: 4 new product(s), 4 certificate(s). Nothing was written." in result.output
    assert counts() == (0, 0, 0)

    result = runner.invoke(args=["catalog", "import", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "Importing" in result.output
    assert "Imported 4 new product(s) and 4 certificate(s) from ocop-import-sample.csv." in result.output
    shawl = db.session.scalars(select(Product).filter_by(name_vi="Khăn choàng thổ cẩm dệt tay An Đạt")).one()
    assert (shawl.group, shawl.subgroup, shawl.price, shawl.unit_vi, shawl.sold_online, shawl.is_published) == \
        (4, "weaving_brocade", 680_000, "Chiếc", False, True)
    assert shawl.five_star_nominated_on == date(2026, 10, 1) and shawl.slug == "khan-choang-tho-cam-det-tay-an-dat"
    certificate = shawl.certificates[0]
    assert (certificate.stars, certificate.score, certificate.number, certificate.decision_number) == \
        (4, 86, "103/2026/OCOP-NK", "1520/QĐ-UBND")
    assert certificate.level is CertificationLevel.PROVINCE and certificate.valid_until == date(2029, 9, 14)
    tour = db.session.scalars(select(Product).filter_by(name_vi="Đêm lửa trại làng tỏi Kim Hòa")).one()
    assert tour.group == 6 and not tour.shippable
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [entry.action for entry in entries] == ["product.import", "certificate.import"] * 4
    assert all(entry.actor_label == "system" for entry in entries)
    assert entries[4].note == "Imported from ocop-import-sample.csv, row 4"
    assert entries[4].changes["name_vi"] == [None, "Khăn choàng thổ cẩm dệt tay An Đạt"]

    # The public pages follow: the catalogue and search show the imported products at once.
    assert "Khăn choàng thổ cẩm dệt tay An Đạt" in client.get("/products?group=4").get_data(as_text=True)
    found = client.get("/en/search?q=khan choang tho cam").get_data(as_text=True)
    assert "Khăn choàng thổ cẩm dệt tay An Đạt" in found or "An Đạt hand-woven brocade shawl" in found

    # Importing the same file again would certify the same products twice: refused, row by row.
    result = runner.invoke(args=["catalog", "import", str(SAMPLE)])
    assert result.exit_code == 1
    assert "row 2 [Số giấy chứng nhận]: Certificate 101/2026/OCOP-NK of UBND tỉnh Quảng Ngãi is already in the " \
           "catalogue." in result.output
    assert "8 problem(s) in 4 of 4 row(s): nothing was imported." in result.output
    assert counts() == (4, 4, 8)


def test_a_failure_in_the_last_row_leaves_nothing_imported(app, sample_producers, monkeypatch, travel_to):
    travel_to(date(2026, 11, 22))
    db.session.commit()
    real_apply = catalog_cli.apply_plan

    def apply_with_a_broken_last_row(report, source, advance):
        # What the database alone can refuse (its CHECK constraint on score and stars), on the last row.
        report.plans[-1].values["score"] = 10
        return real_apply(report, source, advance)

    monkeypatch.setattr(catalog_cli, "apply_plan", apply_with_a_broken_last_row)
    result = app.test_cli_runner().invoke(args=["catalog", "import", str(SAMPLE)])
    assert result.exit_code == 1
    assert "The import failed, nothing was imported" in result.output
    assert counts() == (0, 0, 0)


def test_apply_stages_everything_in_the_callers_transaction(sample_producers, travel_to):
    travel_to(date(2026, 11, 22))
    db.session.commit()
    report = dry_run(SAMPLE.read_bytes())
    assert report.ok
    report.plans[-1].values["score"] = 10
    with pytest.raises(IntegrityError):
        apply_plan(report, "sample.csv")
    db.session.rollback()
    assert counts() == (0, 0, 0)


def test_an_xlsx_list_with_date_and_number_cells_imports_and_renews_an_existing_product(
        sample_producers, make_product, make_certificate, travel_to):
    travel_to(date(2026, 11, 22))
    producer = sample_producers["HTX Nông lâm nghiệp Việt Vinh"]
    cinnamon = make_product(name_vi="Quế thanh Việt Vinh", producer=producer, group=3,
                            subgroup="herbal_medicine", stars=None)
    make_certificate(cinnamon, stars=3, decision_date=date(2023, 11, 1))
    db.session.commit()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["No.", "Product name", "Producer", "Former district", "Group", "Subgroup", "Stars", "Score",
                  "Certificate number", "Decision number", "Decision date", "Authority", "Price (VND)",
                  "Sold online", "Notes"])
    sheet.append([1, "QUẾ THANH VIỆT VINH", producer.name, "Huyện Trà Bồng", 3, "herbal_medicine", 4, 75.0,
                  "RENEW-7", "1600/QĐ-UBND", date(2026, 10, 20), "UBND tỉnh Quảng Ngãi", 120000, "x", "ghi chú"])
    sheet.append([2, "Tinh dầu quế Việt Vinh", producer.name, "Trà Bồng", "Medicinal herbs", "Essential oils", 3,
                  55, "'=SUM(1)", "1600/QĐ-UBND", "20/10/2026", None, "120.000", "Không"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = dry_run(buffer.getvalue())
    assert report.problems == [] and report.ignored_headers == ["Notes"]
    assert (report.new_products, report.new_certificates) == (1, 2)
    apply_plan(report, "list.xlsx")
    db.session.commit()
    assert [c.stars for c in cinnamon.certificates] == [4, 3]
    oil = db.session.scalars(select(Product).filter_by(name_vi="Tinh dầu quế Việt Vinh")).one()
    assert oil.certificates[0].number == "=SUM(1)"  # an exported, neutralised cell reads back as written
    assert oil.price == 120_000 and oil.sold_online is False and oil.subgroup == "essential_oils"


def test_a_file_with_headers_only_or_a_bad_file_fails_on_the_command_line(app, tmp_path):
    headers_only = tmp_path / "empty.csv"
    headers_only.write_text(HEADER + "\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["catalog", "import", str(headers_only), "--dry-run"])
    assert result.exit_code == 1
    assert "empty.csv: file: The file has no rows below its headers." in result.output
    assert "1 problem(s): nothing was imported." in result.output
    picture = tmp_path / "list.xlsx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    result = app.test_cli_runner().invoke(args=["catalog", "import", str(picture), "--lang", "vi"])
    assert result.exit_code == 1 and "Đây không phải tệp CSV hay XLSX." in result.output
    assert counts() == (0, 0, 0)


def test_the_command_line_exports_listings_and_certificates(app, make_product, tmp_path):
    make_product(name_vi="-Tỏi đen", stars=4)
    db.session.commit()
    output = tmp_path / "certificates.xlsx"
    result = app.test_cli_runner().invoke(args=["catalog", "export", "certificates", "-o", str(output)])
    assert result.exit_code == 0 and f"Wrote 1 certificates to {output}." in result.output
    rows = list(load_workbook(output).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:2] == ("STT", "Tên sản phẩm") and rows[1][1] == "'-Tỏi đen" and rows[1][7] == 4
    result = app.test_cli_runner().invoke(args=["catalog", "export", "products", "--format", "csv", "-o", "-"])
    assert result.exit_code == 0 and "'-Tỏi đen" in result.output


# --- Cells a spreadsheet would run as formulas (CSV injection) ---

TEXT_COLUMNS = [column.key for column in COLUMNS if column.kind == "text"]
FORMULAS = ['=HYPERLINK("http://evil.example/x","Bấm vào đây")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+9)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", " =1+1"]


def csv_line(**values) -> str:
    base = {"name_vi": "Mật ong rừng Kim Lộc", "producer": "HTX Sản xuất và kinh doanh tỏi Kim Lộc",
            "district": "Lý Sơn", "group": "Thực phẩm", "subgroup": "Thực phẩm chế biến", "stars": "3", "score": "60",
            "certificate_number": "C-1", "decision_number": "10/QĐ-UBND", "decision_date": "01/09/2026", **values}
    return ",".join('"' + str(base.get(column.key, "")).replace('"', '""') + '"' for column in COLUMNS)


@pytest.mark.parametrize("key", TEXT_COLUMNS)
def test_a_text_cell_a_spreadsheet_would_run_is_a_problem_of_its_row(sample_producers, travel_to, key):
    travel_to(date(2026, 11, 22))
    lines = [HEADER]
    for n, formula in enumerate(FORMULAS, start=2):
        values = {"certificate_number": f"C-{n}", "decision_number": f"{n}/QĐ", "name_vi": f"Mật ong {n}"}
        lines.append(csv_line(**{**values, key: formula}))
    report = dry_run("\n".join(lines).encode("utf-8"))
    header = COLUMNS_BY_KEY[key].header_vi
    problems = {(problem.row, problem.column): problem.message for problem in report.problems}
    for row in range(2, 2 + len(FORMULAS)):
        assert "a spreadsheet would run it as a formula" in problems[row, header], (row, problems)
    assert not report.ok and report.plans == [] and counts() == (0, 0, 0)


def test_formula_problems_are_reported_in_the_offices_language(sample_producers, travel_to):
    travel_to(date(2026, 11, 22))
    data = "\n".join([HEADER, csv_line(name_vi='=HYPERLINK("http://evil.example/x","Bấm vào đây")')]).encode()
    with force_locale("vi"):
        [problem] = dry_run(data).problems
    assert problem.message.startswith("Bắt đầu bằng “=”: bảng tính sẽ chạy nội dung này như một công thức.")


def test_numbers_and_dates_may_start_with_a_sign_where_numbers_are_expected(sample_producers, travel_to):
    """A plain negative number is a number (then out of range), never taken for a formula."""
    travel_to(date(2026, 11, 22))
    data = "\n".join([HEADER, csv_line(score="-60", price="-5", name_en="-", unit="–")]).encode()
    messages = {problem.column: problem.message for problem in dry_run(data).problems}
    assert messages == {"Điểm": "The score is out of 100.",
                        "Giá (đồng)": "The price must be a whole number of đồng, like 185000."}
    report = dry_run("\n".join([HEADER, csv_line(name_en="-", unit="–", price="-")]).encode())
    assert report.ok  # a dash alone is the lists' "nothing here"
    assert (report.plans[0].values["name_en"], report.plans[0].values["unit"], report.plans[0].values["price"]) == \
        ("", "", None)


def workbook_bytes(rows, text_cells=()) -> bytes:
    """An XLSX file; cells named in `text_cells` ((row, column) from 1) are stored as text whatever they hold."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for row, column in text_cells:
        sheet.cell(row, column).data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def base_values(**changes) -> list:
    values = {"name_vi": "Mật ong rừng Kim Lộc", "producer": "HTX Sản xuất và kinh doanh tỏi Kim Lộc",
              "district": "Lý Sơn", "group": "Thực phẩm", "subgroup": "Thực phẩm chế biến", "stars": 3, "score": 60,
              "certificate_number": "C-1", "decision_number": "10/QĐ-UBND", "decision_date": date(2026, 9, 1),
              **changes}
    return [values.get(column.key) for column in COLUMNS]


def test_xlsx_formula_cells_and_formula_text_are_problems(sample_producers, travel_to):
    travel_to(date(2026, 11, 22))
    name_column = [column.key for column in COLUMNS].index("name_vi") + 1
    data = workbook_bytes([[column.header_vi for column in COLUMNS],
                           base_values(name_vi='=HYPERLINK("http://evil.example/x","Bấm vào đây")'),  # a formula
                           base_values(name_vi="=1+1", certificate_number="C-2", decision_number="2/QĐ"),  # text
                           base_values(score="=50+10", certificate_number="C-3", decision_number="3/QĐ")],
                          text_cells=[(3, name_column)])
    problems = {(problem.row, problem.column): problem.message for problem in dry_run(data).problems}
    assert problems[2, "Tên sản phẩm"].startswith("A formula: type the value itself")
    assert "a spreadsheet would run it as a formula" in problems[3, "Tên sản phẩm"]
    assert problems[4, "Điểm"].startswith("A formula")
    assert len(problems) == 3 and counts() == (0, 0, 0)


def test_exports_still_write_formula_like_text_safely(app, make_product, tmp_path):
    make_product(name_vi='=HYPERLINK("http://evil.example/x","Bấm vào đây")', stars=4)
    db.session.commit()
    output = tmp_path / "certificates.xlsx"
    assert app.test_cli_runner().invoke(args=["catalog", "export", "certificates", "-o", str(output)]).exit_code == 0
    cell = list(load_workbook(output).worksheets[0].iter_rows(values_only=True))[1][1]
    assert cell == "'=HYPERLINK(\"http://evil.example/x\",\"Bấm vào đây\")"
    result = app.test_cli_runner().invoke(args=["catalog", "export", "products", "--format", "csv", "-o", "-"])
    assert "'=HYPERLINK" in result.output and ",=HYPERLINK" not in result.output


# --- Any cell of any type: a problem of its row, never an error ---

def _with_text_in_a_number_cell(data: bytes, bad: bytes) -> bytes:
    """The workbook with its first number cell holding text, as some programs write it."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<v>60</v>", bad, 1)
            target.writestr(member, content)
    return out.getvalue()


@pytest.mark.parametrize("bad", [b"<v>sixty</v>", b'<v>1e999999</v>', b"<v></v><v>x</v>"])
def test_text_in_a_number_cell_of_a_workbook_is_a_problem_of_its_row(sample_producers, travel_to, bad):
    travel_to(date(2026, 11, 22))
    data = _with_text_in_a_number_cell(workbook_bytes([[column.header_vi for column in COLUMNS], base_values(),
                                                       base_values(certificate_number="C-2", decision_number="2/QĐ")]),
                                       bad)
    report = dry_run(data)
    assert [(problem.row, problem.column) for problem in report.problems] == [(2, "Điểm")]
    assert [plan.row for plan in report.plans] == [3] and not report.ok and counts() == (0, 0, 0)


def test_cells_of_every_wrong_type_are_problems_in_the_offices_language(sample_producers, travel_to):
    travel_to(date(2026, 11, 22))
    rows = [[column.header_vi for column in COLUMNS],
            base_values(name_vi=True, stars="#N/A", score=date(2026, 1, 1), decision_date=46000, price=True),
            base_values(name_vi=date(2026, 1, 1), certificate_number="C-2", decision_number="2/QĐ", stars=3.5,
                        valid_until="=TODAY()", sold_online="có lẽ", nominated=time(9, 30)),
            base_values(name_vi="Tỏi\x00đen", certificate_number="C-3", decision_number="3/QĐ",
                        price=10**12)]
    data = workbook_bytes(rows[:3])
    csv_data = "\n".join([HEADER, csv_line(name_vi="Tỏi\x01đen", price="5000000000", certificate_number="C-3",
                                           decision_number="3/QĐ")]).encode()
    for file in (data, csv_data):
        for lang in ("en", "vi"):
            with force_locale(lang):
                report = dry_run(file)
            assert report.problems and all(problem.row and problem.message for problem in report.problems)
    with force_locale("vi"):
        messages = {(p.row, p.column): p.message for p in dry_run(data).problems}
    assert messages[2, "Tên sản phẩm"] == "Ô này là giá trị đúng/sai (TRUE/FALSE), trong khi cần chữ."
    assert messages[2, "Số sao"] == "Ô này đang báo lỗi #N/A: hãy nhập chính giá trị."
    assert messages[2, "Ngày quyết định"] == "Ô này là số, không phải ngày: hãy viết theo dạng dd/mm/yyyy."
    assert {(3, "Số sao"), (3, "Hiệu lực đến"), (3, "Bán trực tuyến"), (3, "Đề cử 5 sao"), (3, "Tên sản phẩm"),
            (2, "Điểm"), (2, "Giá (đồng)")} <= set(messages)
    csv_messages = {p.column: p.message for p in dry_run(csv_data).problems}
    assert csv_messages == {"Tên sản phẩm": "Contains invisible control characters: type the text again.",
                            "Giá (đồng)": "The price is too high: at most 1.000.000.000 đồng."}
    assert counts() == (0, 0, 0)


ERROR_CODES = ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80)
CELLS = st.one_of(
    st.none(), ANY_TEXT, st.sampled_from(["", "-", "3", "60", "01/09/2026", "Có", "Tỉnh", "Huyện", "Trung ương",
                                          "5", "95", "4", "80", "'=1+1", "'-x", "185.000"]),
    st.integers(min_value=-(10 ** 20), max_value=10 ** 20), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.dates(min_value=date(1900, 1, 1)), st.datetimes(min_value=datetime(1900, 1, 1)),
    st.times(), ANY_TEXT.map(lambda text: "=" + text), st.sampled_from(ERROR_CODES))
KEYS = [column.key for column in COLUMNS]


@st.composite
def import_rows(draw):
    """A few rows: each starts as a valid row, then any of its cells may hold anything of any type."""
    rows = []
    for index in range(draw(st.integers(1, 4))):
        row = base_values(certificate_number=f"P-{index}", decision_number=f"{index}/QĐ",
                          name_vi=f"Sản phẩm thử {index}")
        for position in draw(st.sets(st.integers(0, len(KEYS) - 1), max_size=4)):
            row[position] = draw(CELLS)
        rows.append(row)
    return rows


def _xlsx_cell(value):
    if isinstance(value, str):
        # What openpyxl can write to a workbook (the XML refuses control characters).
        return "".join(ch for ch in value if ch in "\t\n\r" or unicodedata.category(ch) != "Cc")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header_vi for column in COLUMNS])
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


@settings(max_examples=60, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(rows=import_rows())
def test_any_cell_of_any_type_gives_a_clean_report_and_stores_nothing_when_wrong(sample_producers, travel_to, rows):
    travel_to(date(2026, 11, 22))
    before = counts()
    for data in (workbook_bytes([[column.header_vi for column in COLUMNS]] + [[_xlsx_cell(v) for v in row]
                                                                             for row in rows]),
                 _csv_bytes(rows)):
        report = dry_run(data)  # never an exception
        for problem in report.problems:
            assert isinstance(problem.message, str) and problem.message
            assert problem.row is None or 2 <= problem.row <= len(rows) + 1
        if report.ok:
            savepoint = db.session.begin_nested()
            apply_plan(report, "property.xlsx")
            db.session.flush()  # the database accepts whatever the checks let through
            savepoint.rollback()
        else:
            with pytest.raises(DomainError):
                apply_plan(report, "property.xlsx")
            assert counts() == before
    db.session.rollback()
