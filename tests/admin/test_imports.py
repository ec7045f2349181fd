"""Import and export at /admin/catalogue-files: the dry run first, then the same stored file on
confirmation; files that are not a product list are refused and never stored; exports are safe to open."""
import csv
import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from catalog_files_fixture import multipart, sample_producers  # noqa: F401  (sample_producers: a fixture)
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from storefront.accounts.models import Role
from storefront.audit.models import AuditEntry
from storefront.catalog.importer import COLUMNS
from storefront.catalog.models import ImportUpload, Product
from storefront.certification.models import Certificate
from storefront.extensions import db

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "ocop-import-sample.csv"


@pytest.fixture(autouse=True)
def pending(travel_to):
    """The uploads waiting for confirmation (`stored(pending)` lists their tokens)."""
    travel_to(date(2026, 11, 22))
    return ImportUpload


@pytest.fixture
def office(make_user, sign_in):
    user = make_user(role=Role.ADMIN, email="office@ocop.example")
    return sign_in(user)


def stored(model=ImportUpload) -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(select(model.token)))


def counts():
    return (*(db.session.scalar(select(func.count()).select_from(m)) for m in (Product, Certificate)),
            db.session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action != "user.sign_in_new_device")))


def upload(client, data: bytes, name="list.csv", lang="/en", csrf=True, **fields):
    if csrf:
        fields.setdefault("csrf_token", client.csrf_token())
    body, content_type = multipart(data, name, **fields)
    return client.post(f"{lang}/admin/catalogue-files", data=body, content_type=content_type, csrf=csrf)


def test_upload_shows_the_dry_run_then_imports_the_stored_file_on_confirmation(
        office, sample_producers, pending, client):
    before = counts()
    response = upload(office, SAMPLE.read_bytes(), "danh-sach-ocop.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No problems found: nothing has been written yet." in page
    assert "New products: 4" in page and "Certificates: 4" in page
    token = re.search(r'name="upload" type="hidden" value="([^"]+)"', page).group(1)
    assert len(token) == 32
    assert stored(pending) == [token]
    assert counts() == before

    response = office.post("/en/admin/catalogue-files/import", data={"upload": token})
    assert response.status_code == 302
    page = office.get(response.location).get_data(as_text=True)
    assert "Imported danh-sach-ocop.csv: 4 new products and 4 certificates." in page
    assert counts() == (before[0] + 4, before[1] + 4, before[2] + 8)
    assert {entry.actor_label for entry in db.session.scalars(select(AuditEntry))} == {"office@ocop.example"}
    assert stored(pending) == []
    # The same confirmation again finds nothing to import.
    assert office.post("/en/admin/catalogue-files/import", data={"upload": token}, csrf=False).status_code == 400
    assert counts() == (before[0] + 4, before[1] + 4, before[2] + 8)
    assert "Tinh dầu quế xịt phòng Việt Vinh" in client.get("/products").get_data(as_text=True)


def test_a_file_with_problems_is_reported_row_by_row_in_vietnamese_and_not_kept(
        office, sample_producers, pending):
    text = SAMPLE.read_text(encoding="utf-8").replace(",4,78,", ",4,65,").replace("Ba Tơ,", "Ba Tư,")
    response = upload(office, text.encode("utf-8"), lang="")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Không nhập tệp" in page
    problems = re.search(r'<table[^>]*id="import-problems".*?</table>', page, re.S).group(0)
    assert re.search(r'<td class="num">2</td><td>Điểm</td>', problems)
    assert re.search(r'<td class="num">4</td><td>Huyện cũ</td>', problems)
    assert 'name="upload"' not in page
    assert stored(pending) == [] and counts() == (0, 0, 0)


@pytest.mark.parametrize("data,name,message", [
    (b"\x89PNG\r\n\x1a\n" + bytes(100), "list.csv", "This is not a CSV or XLSX file."),
    (b"%PDF-1.4\n" + bytes(100), "list.xlsx", "This is not a CSV or XLSX file."),
    (b"x" * (5 * 1024 * 1024 + 1), "big.csv", "The file is larger than 5 MB."),
])
def test_files_that_are_not_product_lists_are_refused_and_never_stored(office, pending, data, name, message):
    response = upload(office, data, name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored(pending) == []


def test_a_zip_bomb_named_xlsx_is_refused_and_never_stored(office, pending):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(100 * 1024 * 1024))
    response = upload(office, buffer.getvalue(), "danh-sach.xlsx")
    assert response.status_code == 422
    assert "unpacks to far more data" in response.get_data(as_text=True)
    assert stored(pending) == []


def test_only_the_uploader_can_confirm_and_only_a_stored_upload(
        app, office, sample_producers, pending, make_user):
    page = upload(office, SAMPLE.read_bytes()).get_data(as_text=True)
    token = re.search(r'name="upload" type="hidden" value="([^"]+)"', page).group(1)
    # Another office account does not hold this upload in its session.
    colleague = app.test_client()
    other = make_user(role=Role.ADMIN)
    db.session.commit()
    colleague.post("/sign-in", data={"email": other.email, "password": "mật-khẩu-đủ-dài-1"})
    response = colleague.post("/en/admin/catalogue-files/import", data={"upload": token})
    assert response.status_code == 400 and "upload the file again" in response.get_data(as_text=True)
    # Names that are not an upload of this session, or try to leave the folder, are refused.
    for forged in ("../../ocop.db", "A" * 32, ""):
        assert office.post("/en/admin/catalogue-files/import", data={"upload": forged}).status_code == 400
    assert counts() == (0, 0, 0)
    assert len(stored(pending)) == 1


def test_the_catalogue_changed_since_the_dry_run_is_checked_again(office, sample_producers, pending):
    page = upload(office, SAMPLE.read_bytes()).get_data(as_text=True)
    token = re.search(r'name="upload" type="hidden" value="([^"]+)"', page).group(1)
    # Meanwhile, someone imports the same list from the command line.
    from flask import current_app
    result = current_app.test_cli_runner().invoke(args=["catalog", "import", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    response = office.post("/en/admin/catalogue-files/import", data={"upload": token})
    assert response.status_code == 409
    assert "already in the catalogue" in response.get_data(as_text=True)
    assert counts() == (4, 4, 8)


def test_upload_needs_the_form_token(app, office, sample_producers, pending):
    assert upload(office, SAMPLE.read_bytes(), csrf=False).status_code == 400
    assert stored(pending) == []
    page = office.get("/en/admin/catalogue-files").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = upload(office, SAMPLE.read_bytes(), csrf_token=csrf)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    token = re.search(r'name="upload" type="hidden" value="([^"]+)"', page).group(1)
    assert office.post("/en/admin/catalogue-files/import", data={"upload": token}, csrf=False).status_code == 400
    assert counts() == (0, 0, 0)
    confirm_csrf = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[0]
    response = office.post("/en/admin/catalogue-files/import", data={"upload": token, "csrf_token": confirm_csrf})
    assert response.status_code == 302 and counts()[0] == 4


def test_exports_neutralise_formulas_and_hold_every_listing_and_certificate(
        office, make_product, make_producer):
    producer = make_producer(name="@Cơ sở =Tỏi")
    make_product(name_vi='=HYPERLINK("http://evil.example","Bấm")', producer=producer, stars=4)
    make_product(name_vi="+84 Tỏi đen", stars=3, price=185_000)
    make_product(name_vi="Chưa chứng nhận", stars=None)
    db.session.commit()

    response = office.get("/en/admin/catalogue-files/products.xlsx")
    assert response.status_code == 200 and "ocop-products-" in response.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.data)).worksheets[0].iter_rows(values_only=True))
    names = {row[2]: row for row in rows[1:]}
    assert set(names) == {"'=HYPERLINK(\"http://evil.example\",\"Bấm\")", "'+84 Tỏi đen", "Chưa chứng nhận"}
    assert names["'=HYPERLINK(\"http://evil.example\",\"Bấm\")"][4] == "'@Cơ sở =Tỏi"
    assert names["'+84 Tỏi đen"][9] == 185_000 and names["'+84 Tỏi đen"][14] == 3
    assert names["Chưa chứng nhận"][14] is None

    response = office.get("/en/admin/catalogue-files/certificates.csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["STT", "Tên sản phẩm", "Tên tiếng Anh", "Chủ thể"]
    assert len(rows) == 3
    assert {row[1] for row in rows[1:]} == {"'=HYPERLINK(\"http://evil.example\",\"Bấm\")", "'+84 Tỏi đen"}
    assert all(row[-2] == "Còn hiệu lực" for row in rows[1:])


def _workbook(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_workbook_with_text_in_a_number_cell_is_reported_not_an_error(office, sample_producers, pending):
    """Some programs write text into a cell typed as a number; the office gets its row's problem, not a 500."""
    values = {"name_vi": "Mật ong rừng Kim Lộc", "producer": "HTX Sản xuất và kinh doanh tỏi Kim Lộc",
              "district": "Lý Sơn", "group": "Thực phẩm", "subgroup": "Thực phẩm chế biến", "stars": 3, "score": 60,
              "certificate_number": "C-1", "decision_number": "10/QĐ-UBND", "decision_date": date(2026, 9, 1)}
    data = _workbook([[column.header_vi for column in COLUMNS], [values.get(column.key) for column in COLUMNS]])
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<v>60</v>", "<v>sáu mươi</v>".encode("utf-8"), 1)
            target.writestr(member, content)
    for lang, message in (("", "Không đọc được ô này: hãy nhập lại giá trị."),
                          ("/en", "This cell cannot be read: type its value again.")):
        response = upload(office, out.getvalue(), "danh-sach.xlsx", lang=lang)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, page[:300]
        problems = re.search(r'<table[^>]*id="import-problems".*?</table>', page, re.S).group(0)
        assert re.search(r'<td class="num">2</td><td>Điểm</td><td>' + re.escape(message), problems)
    assert stored(pending) == [] and counts() == (0, 0, 0)


def test_a_formula_product_name_is_refused_and_nothing_published(office, sample_producers, pending, client):
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "Khăn choàng thổ cẩm dệt tay An Đạt", '"=HYPERLINK(""http://evil.example/x"",""Bấm vào đây"")"')
    response = upload(office, text.encode("utf-8"), lang="")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Bắt đầu bằng “=”: bảng tính sẽ chạy nội dung này như một công thức." in page
    assert stored(pending) == [] and counts() == (0, 0, 0)
    assert "evil.example" not in client.get("/products").get_data(as_text=True)
