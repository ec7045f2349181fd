"""A product list waits for its confirmation in the database: any app node can import it, only its
uploader may, within a day, and only once."""
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from catalog_files_fixture import multipart, sample_producers  # noqa: F401  (sample_producers: a fixture)
from sqlalchemy import func, select, update

from storefront import create_app
from storefront.accounts.models import Role
from storefront.catalog.import_uploads import keep_upload
from storefront.catalog.importer import ImportFileError
from storefront.catalog.models import ImportUpload, Product
from storefront.certification.models import Certificate
from storefront.clock import utcnow
from storefront.config import TestConfig
from storefront.extensions import db

from races import in_parallel
from shared import DATABASE_URL, ON_POSTGRES
from shop import ShopClient

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "ocop-import-sample.csv"
GONE_EN = "That upload is no longer available: upload the file again."
GONE_VI = "Tệp đã tải lên không còn nữa: hãy tải tệp lên lại."


@pytest.fixture(autouse=True)
def on_the_sample_day(travel_to):
    travel_to(date(2026, 11, 22))


@pytest.fixture
def office(make_user, sign_in):
    return sign_in(make_user(role=Role.ADMIN, email="office@ocop.example"))


def checked(client, data=None, lang="/en") -> str:
    """Upload the sample for its dry run; the token of the confirmation form."""
    body, content_type = multipart(data or SAMPLE.read_bytes(), "danh-sach.csv", csrf_token=client.csrf_token())
    response = client.post(f"{lang}/admin/catalogue-files", data=body, content_type=content_type)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return re.search(r'name="upload" type="hidden" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def waiting() -> list[tuple[str, str, int]]:
    db.session.expire_all()
    return [tuple(row) for row in db.session.execute(
        select(ImportUpload.token, ImportUpload.filename, ImportUpload.size).order_by(ImportUpload.created_at))]


def imported() -> tuple[int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in (Product, Certificate))


def test_the_checked_file_is_kept_in_the_database_with_its_uploader(office, sample_producers):
    token = checked(office)
    row = db.session.get(ImportUpload, token)
    assert row.data == SAMPLE.read_bytes() and row.size == len(row.data) and row.filename == "danh-sach.csv"
    assert row.user.email == "office@ocop.example"
    assert abs(row.created_at - utcnow()) < timedelta(minutes=1)


@pytest.mark.parametrize("lang,message", [("/en", GONE_EN), ("", GONE_VI)])
def test_an_upload_older_than_a_day_is_refused_in_the_users_language_and_removed(
        app, office, sample_producers, lang, message):
    token = checked(office)
    db.session.execute(update(ImportUpload).values(created_at=utcnow() - timedelta(hours=24, minutes=1)))
    db.session.commit()
    response = office.post(f"{lang}/admin/catalogue-files/import", data={"upload": token})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert imported() == (0, 0)
    # The next check removes it; so does the command.
    fresh = checked(office)
    assert [row[0] for row in waiting()] == [fresh]
    db.session.execute(update(ImportUpload).values(created_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["catalog", "forget-uploads"])
    assert result.exit_code == 0 and "Removed 1 unconfirmed uploads older than a day." in result.output
    assert waiting() == []


def test_an_upload_just_under_a_day_old_still_imports(office, sample_producers):
    token = checked(office)
    db.session.execute(update(ImportUpload).values(created_at=utcnow() - timedelta(hours=23, minutes=59)))
    db.session.commit()
    assert office.post("/en/admin/catalogue-files/import", data={"upload": token}).status_code == 302
    assert imported() == (4, 4) and waiting() == []


def test_another_office_account_cannot_confirm_it_and_the_uploader_still_can(app, office, sample_producers, make_user,
                                                                         sign_in):
    token = checked(office)
    colleague = app.test_client()
    other = make_user(role=Role.ADMIN)
    db.session.commit()
    colleague.know_device_of(other.email)
    assert colleague.post("/sign-in", data={"email": other.email, "password": "mật-khẩu-đủ-dài-1"}).status_code == 302
    response = colleague.post("/en/admin/catalogue-files/import", data={"upload": token})
    assert response.status_code == 400 and GONE_EN in response.get_data(as_text=True)
    assert imported() == (0, 0) and [row[0] for row in waiting()] == [token]
    assert office.post("/en/admin/catalogue-files/import", data={"upload": token}).status_code == 302
    assert imported() == (4, 4)


def test_the_import_size_limit_holds_for_what_is_kept(app, office, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 1024 * 1024)
    body, content_type = multipart(b"a,b\n" + b"x" * (1024 * 1024), "big.csv", csrf_token=office.csrf_token())
    response = office.post("/en/admin/catalogue-files", data=body, content_type=content_type)
    assert response.status_code == 422 and "The file is larger than 1 MB." in response.get_data(as_text=True)
    assert waiting() == []
    user = make_user(role=Role.ADMIN)
    with pytest.raises(ImportFileError):
        keep_upload(user, "big.csv", b"x" * (1024 * 1024 + 1))
    keep_upload(user, "fits.csv", b"x" * (1024 * 1024))  # the limit itself is accepted
    db.session.commit()
    assert [row[1:] for row in waiting()] == [("fits.csv", 1024 * 1024)]


def test_confirming_twice_imports_once(office, sample_producers):
    token = checked(office)
    assert office.post("/en/admin/catalogue-files/import", data={"upload": token}).status_code == 302
    response = office.post("/en/admin/catalogue-files/import", data={"upload": token})
    assert response.status_code == 400 and GONE_EN in response.get_data(as_text=True)
    assert imported() == (4, 4) and waiting() == []


def test_a_refused_import_keeps_the_upload(app, office, sample_producers):
    """The catalogue changed since the dry run (the same list imported from the command line): the
    confirmation is refused, nothing is imported twice, and the rolled-back request leaves the upload."""
    token = checked(office)
    assert app.test_cli_runner().invoke(args=["catalog", "import", str(SAMPLE)]).exit_code == 0
    response = office.post("/en/admin/catalogue-files/import", data={"upload": token})
    assert response.status_code == 409 and "already in the catalogue" in response.get_data(as_text=True)
    assert imported() == (4, 4) and [row[0] for row in waiting()] == [token]


def share_cookies(source, target) -> None:
    for cookie in source._cookies.values():
        target.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)


@pytest.mark.skipif(not ON_POSTGRES, reason="two app nodes need a shared database server: set TEST_DATABASE_URL")
def test_a_file_checked_on_one_node_is_confirmed_on_another(office, sample_producers, tmp_path):
    token = checked(office)
    other_node = create_app(type("NodeConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": DATABASE_URL, "MEDIA_ROOT": str(tmp_path / "b" / "media"),
        "SEARCH_INDEX_DIR": str(tmp_path / "b" / "search-index")}))
    other_node.test_client_class = ShopClient
    try:
        browser = other_node.test_client()
        share_cookies(office, browser)  # the load balancer sends the same browser to node B
        response = browser.post("/en/admin/catalogue-files/import", data={"upload": token})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        assert imported() == (4, 4) and waiting() == []
    finally:
        with other_node.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="two confirmations at the same moment need real connections")
def test_two_confirmations_at_the_same_moment_import_once(app, office, sample_producers):
    token = checked(office)
    second = app.test_client()
    share_cookies(office, second)
    csrf = office.csrf_token()
    statuses = in_parallel(
        *(lambda browser=browser: browser.post("/en/admin/catalogue-files/import",
                                               data={"upload": token, "csrf_token": csrf}).status_code
          for browser in (office, second)))
    assert sorted(statuses) == [302, 400]
    assert imported() == (4, 4) and waiting() == []
