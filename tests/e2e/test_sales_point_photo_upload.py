"""The office adds a photo to a sales point from a phone, puts it first, and removes it again: the edit
page passes axe with its photos, and the demo's point ends as it began."""
import io

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import delete, select

from storefront.audit.models import AuditEntry
from storefront.extensions import db
from storefront.locator.models import SalesPoint

from test_back_office import ADMIN_EMAIL, accounts, sign_in  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e


def test_the_office_uploads_orders_and_removes_a_photo_on_a_phone(open_page, check_page, accounts, tmp_path):
    with accounts["app"].app_context():
        point = db.session.scalars(select(SalesPoint).order_by(SalesPoint.id.desc())).first()
        point_id, before = point.id, [photo.id for photo in point.photos]
    upload = tmp_path / "cua-hang.png"
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 750), (30, 120, 90)).save(buffer, "PNG")
    upload.write_bytes(buffer.getvalue())
    try:
        page = open_page("phone")
        sign_in(page, ADMIN_EMAIL, "/en", accounts["app"])
        page.goto(f"/en/admin/sales-points/{point_id}#photos")
        page.set_input_files("#photo", str(upload))
        page.fill("#alt_en", "The counter, seen from the door")
        page.get_by_role("button", name="Upload the photo").click()
        expect(page.locator(".point-photo")).to_have_count(len(before) + 1)
        new = page.locator(".point-photo").last
        expect(new.locator("input[lang=en]")).to_have_value("The counter, seen from the door")
        new.locator("select").select_option("1")
        page.get_by_role("button", name="Save the order and the descriptions").click()
        expect(page.locator(".point-photo").first.locator("input[lang=en]")).to_have_value(
            "The counter, seen from the door")
        page.screenshot(path=str(tmp_path / "photos.png"), full_page=True)
        check_page(page)
        page.get_by_role("button", name="Remove photo 1").click()
        expect(page.locator(".point-photo")).to_have_count(len(before))
        with accounts["app"].app_context():
            assert [photo.id for photo in db.session.get(SalesPoint, point_id).photos] == before
    finally:
        with accounts["app"].app_context():
            point = db.session.get(SalesPoint, point_id)
            point.photos[:] = [photo for photo in point.photos if photo.id in before]
            for position, photo in enumerate(sorted(point.photos, key=lambda p: before.index(p.id))):
                photo.position = position
            db.session.execute(delete(AuditEntry).where(AuditEntry.actor_label == ADMIN_EMAIL))
            db.session.commit()
