"""The programme report at /admin/reports: the province's figures on the demo, any day, the plan, files."""
import csv
import io
import re
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from storefront.accounts.models import Role
from storefront.certification.models import Certificate, CertificateStatus
from storefront.clock import today
from storefront.extensions import db

from figures import table_rows

# DOMAIN.md, "The province's figures (provincial report, late 2024)": the demo reproduces them on the day
# it is loaded.
PROVINCE_FIGURES = [
    ("Products with a valid OCOP certificate", "191"),
    ("of which 5 stars", "0"),
    ("of which 4 stars", "17"),
    ("of which 3 stars", "174"),
    ("Former district-level units with at least one OCOP product", "13 of 13"),
    ("Producers with a certified product", "120"),
    ("of which enterprises", "19"),
    ("of which cooperatives", "34"),
    ("of which cooperative groups", "0"),
    ("of which households and establishments", "67"),
    ("Certified products sold online in this shop", "130 of 191"),
    ("OCOP introduction-and-sales points", "13"),
    ("of which state-supported", "6"),
    ("of which privately funded", "7"),
]


def test_the_report_shows_exactly_the_provinces_figures_on_the_demo(demo_office_client):
    response = demo_office_client.get("/en/admin/reports")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    page = response.get_data(as_text=True)
    assert table_rows(page, "province-figures")[1:] == [list(row) for row in PROVINCE_FIGURES]
    districts = table_rows(page, "table-districts")
    assert len(districts) == 1 + 13 + 1 and districts[-1][:5] == ["Total", "191", "174", "17", "0"]
    assert table_rows(page, "table-groups")[-1][:5] == ["Total", "191", "174", "17", "0"]
    # The charts' data blocks hold the same figures as their tables; the chart scripts load on this page.
    data = re.search(r'<script type="application/json" id="chart-districts-data">(.*?)</script>', page, re.S)
    assert data and '"labels"' in data.group(1)
    assert "vendor/chart.js/chart.umd.min.js" in page and "js/charts.js" in page


def test_the_report_in_vietnamese(demo_office_client):
    page = demo_office_client.get("/admin/reports").get_data(as_text=True)
    rows = table_rows(page, "province-figures")
    assert rows[1][1] == "191" and rows[5] == ["Đơn vị cấp huyện (cũ) có ít nhất một sản phẩm OCOP", "13/13"]


def test_an_earlier_day_counts_the_certificates_valid_then(demo_app, demo_office_client):
    day = today() - timedelta(days=60)
    with demo_app.app_context():
        certificates = db.session.scalars(select(Certificate)).all()
        valid_then = {c.product_id for c in certificates if c.status_on(day) is CertificateStatus.VALID}
        valid_now = {c.product_id for c in certificates if c.status_on(today()) is CertificateStatus.VALID}
        db.session.remove()
    assert len(valid_then) != len(valid_now)  # some certificates were decided within the last 60 days
    page = demo_office_client.get(f"/en/admin/reports?as_of={day.isoformat()}").get_data(as_text=True)
    assert table_rows(page, "province-figures")[1] == ["Products with a valid OCOP certificate", str(len(valid_then))]
    assert f"as of {day:%d/%m/%Y}" in page


def test_the_plan_progress_on_the_demo_is_computed_from_its_certificates(demo_app, demo_office_client):
    day = today()
    with demo_app.app_context():
        certificates = db.session.scalars(select(Certificate)).all()
        first, first_four = {}, {}
        for c in certificates:
            if c.decision_date <= day:
                first[c.product_id] = min(first.get(c.product_id, c.decision_date), c.decision_date)
                if c.stars == 4:
                    first_four[c.product_id] = min(first_four.get(c.product_id, c.decision_date), c.decision_date)
        db.session.remove()
    new = sum(d >= date(day.year, 1, 1) for d in first.values())
    new_four = sum(d >= date(day.year, 1, 1) for d in first_four.values())
    rows = {row[0]: row for row in table_rows(
        demo_office_client.get("/en/admin/reports").get_data(as_text=True), "plan-progress")}
    assert rows["Products rated 3–5 stars for the first time this year"][1:3] == [str(new), "at least 70"]
    assert rows["Products rated 4 stars for the first time this year"][1:3] == [str(new_four), "4 to 6"]
    assert rows["Products nominated for the national 5-star evaluation this year"][1:3] == ["0", "1 to 2"]
    # Demo producers sell through modern channels when one of their products is sold online.
    assert rows["Producers with a certified product selling through modern channels"][1].endswith("of 120)")


def test_the_targets_come_from_the_configuration(app, make_user, sign_in, monkeypatch):
    monkeypatch.setitem(app.config, "PLAN_TARGETS", {today().year: {
        "new_certified": (95, None), "new_four_star": (7, 9), "five_star_candidates": (3, 4),
        "modern_channel_share": (65, None)}})
    client = sign_in(make_user(role=Role.ADMIN))
    rows = {row[0]: row for row in table_rows(client.get("/en/admin/reports").get_data(as_text=True),
                                              "plan-progress")}
    assert rows["Products rated 3–5 stars for the first time this year"][2] == "at least 95"
    assert rows["Products rated 4 stars for the first time this year"][2] == "7 to 9"
    assert rows["Producers with a certified product selling through modern channels"][2] == "at least 65%"


def test_a_bad_or_future_day_is_explained_and_the_report_shows_today(app, make_user, sign_in):
    client = sign_in(make_user(role=Role.ADMIN))
    for value, message in (("2025-02-31", "Enter a date, like 31/12/2024."),
                           ((today() + timedelta(days=1)).isoformat(), "Choose today or an earlier day."),
                           ("2010-05-01", "The OCOP programme started in 2018")):
        response = client.get(f"/en/admin/reports?as_of={value}")
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and message in page, value
        assert f"as of {today():%d/%m/%Y}" in page
    response = client.get("/admin/reports?as_of=31-02-2025")
    assert response.status_code == 400 and "Nhập một ngày" in response.get_data(as_text=True)


def test_the_xlsx_download_holds_the_same_figures(demo_office_client):
    day = today() - timedelta(days=60)
    response = demo_office_client.get(f"/en/admin/reports/programme.xlsx?as_of={day.isoformat()}")
    assert response.status_code == 200
    assert response.content_type.startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert f'filename="ocop-programme-{day.isoformat()}.xlsx"' in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Figures", "Plan progress", "By former district", "By group"]
    today_page = demo_office_client.get(f"/en/admin/reports?as_of={day.isoformat()}").get_data(as_text=True)
    figures = [[str(value) for value in row] for row in workbook["Figures"].iter_rows(min_row=2, values_only=True)]
    assert figures[:-1] == table_rows(today_page, "province-figures")[1:]
    assert figures[-1] == ["As of", f"{day:%d/%m/%Y}"]
    districts = list(workbook["By former district"].iter_rows(values_only=True))
    assert districts[0] == ("Former district", "Certified products", "3 stars", "4 stars", "5 stars", "Producers")
    assert [[str(v) for v in row[:5]] for row in districts[1:]] == \
        [row[:5] for row in table_rows(today_page, "table-districts")[1:]]


def test_the_csv_download_is_excel_friendly_and_complete(demo_office_client):
    response = demo_office_client.get("/en/admin/reports/programme.csv")
    assert response.status_code == 200 and response.content_type == "text/csv; charset=utf-8"
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Figures"] and rows[1] == ["Figure", "Value"]
    assert rows[2] == ["Products with a valid OCOP certificate", "191"]
    assert ["of which privately funded", "7"] in rows
    assert ["By group"] in rows and rows[-1][:5] == ["Total", "191", "174", "17", "0"]


def test_a_bad_day_in_a_download_gets_the_page_with_its_error(app, make_user, sign_in):
    client = sign_in(make_user(role=Role.ADMIN))
    response = client.get("/en/admin/reports/programme.csv?as_of=yesterday")
    assert response.status_code == 400 and "Enter a date" in response.get_data(as_text=True)


def test_unknown_file_formats_are_not_found(app, make_user, sign_in):
    client = sign_in(make_user(role=Role.ADMIN))
    assert client.get("/en/admin/reports/programme.pdf").status_code == 404
    assert client.get("/en/admin/catalogue-files/users.csv").status_code == 404
    assert client.get("/en/admin/catalogue-files/products.exe").status_code == 404
