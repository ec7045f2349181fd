"""The back office's programme report draws its charts (with the figures in tables beside them), and the
report and the import pages pass axe, in Vietnamese and English, on a desktop and a phone."""
import pytest

from figures import PAINTED
from shop import type_second_factor_code
from tests.e2e.waiting import wait_until

pytestmark = pytest.mark.e2e

VARIANTS = [("vi", "desktop"), ("en", "desktop"), ("vi", "phone"), ("en", "phone")]


@pytest.fixture(scope="module")
def office_state(browser, live_server, demo_app, demo_office, tmp_path_factory):
    """The signed-in browser state of the OCOP office, made once (sign-ins are rate limited)."""
    email, password, _id = demo_office
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    page.goto("/en/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    type_second_factor_code(page, demo_app, email)
    assert "/sign-in" not in page.url, "the office could not sign in"
    path = tmp_path_factory.mktemp("office") / "state.json"
    context.storage_state(path=str(path))
    context.close()
    return str(path)


@pytest.mark.parametrize("lang, device", VARIANTS, ids=["-".join(v) for v in VARIANTS])
def test_the_programme_report_draws_its_charts_and_is_accessible(
        open_page, check_page, office_state, lang, device, tmp_path_factory):
    page = open_page(device, storage_state=office_state, reduced_motion="reduce")
    response = page.goto(("" if lang == "vi" else "/en") + "/admin/reports")
    assert response.status == 200
    for chart in ("chart-districts", "chart-groups"):
        canvas = page.locator(f"#{chart}")
        canvas.wait_for()
        wait_until(page, f"document.getElementById('{chart}').dataset.drawn === 'true'")
        box = canvas.bounding_box()
        assert box["width"] > 250 and box["height"] > 250, box
        assert page.evaluate(PAINTED, chart) > 0.03, f"{chart} looks empty"
    # Each chart has its table, with the same district names the chart draws.
    districts = page.locator("#table-districts tbody th").all_inner_texts()
    assert len(districts) == 13 and "Lý Sơn" in districts
    if device == "phone":
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"the report scrolls sideways: {widths}"
    shots = tmp_path_factory.getbasetemp() / "screenshots"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"admin-reports-{lang}-{device}.png"), full_page=True)
    check_page(page)


def test_an_earlier_day_redraws_the_report(open_page, check_page, office_state):
    page = open_page("desktop", storage_state=office_state, reduced_motion="reduce")
    page.goto("/en/admin/reports")
    today_total = page.locator("#province-figures tbody tr").first.locator("td").inner_text()
    page.fill("#as_of", "2024-01-15")
    page.click("form.report-controls button[type=submit]")
    page.wait_for_url("**as_of=2024-01-15**")
    assert "15/01/2024" in page.locator("h1 + p").inner_text()
    assert page.locator("#province-figures tbody tr").first.locator("td").inner_text() != today_total
    wait_until(page, "document.getElementById('chart-districts').dataset.drawn === 'true'")
    check_page(page)


@pytest.mark.parametrize("lang, device", [("vi", "desktop"), ("en", "phone")])
def test_the_import_page_and_its_dry_run_report_are_accessible(
        open_page, check_page, office_state, lang, device, tmp_path):
    page = open_page(device, storage_state=office_state)
    prefix = "" if lang == "vi" else "/en"
    page.goto(prefix + "/admin/catalogue-files")
    check_page(page)
    mistakes = tmp_path / "danh-sach.csv"
    mistakes.write_text("Tên sản phẩm,Chủ thể,Huyện cũ,Nhóm sản phẩm,Phân nhóm,Số sao,Điểm,Số giấy chứng nhận,"
                        "Số quyết định,Ngày quyết định\n"
                        "Tỏi,HTX Không Có,Lý Sơn,Thực phẩm,Sơ chế,2,40,X-1,1/QĐ-UBND,31/02/2025\n", encoding="utf-8")
    page.set_input_files("input[type=file]", str(mistakes))
    page.log.expect_error_status(prefix + "/admin/catalogue-files")
    page.click("form[enctype] button[type=submit]")
    page.locator("#import-problems").wait_for()
    rows = page.locator("#import-problems tbody tr").all_inner_texts()
    assert len(rows) == 3 and all(row.startswith("2") for row in rows)
    if device == "phone":
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"the import page scrolls sideways: {widths}"
    check_page(page)
