"""The audit log page: every change, filterable, with each field's old and new value, escaped."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from storefront.accounts.models import Role
from storefront.audit.models import AuditEntry
from storefront.certification.operations import revoke_certificate
from storefront.extensions import db


@pytest.fixture
def admin(make_user, sign_in):
    return sign_in(make_user(role=Role.ADMIN, email="thanh.tra@ocop.example"))


def entry(action, object_id, at, actor="can.bo@ocop.example", changes=None, object_type="certificate", note=""):
    row = AuditEntry(actor_label=actor, action=action, object_type=object_type, object_id=object_id, at=at,
                     object_label="", changes=changes or {}, note=note)
    db.session.add(row)
    return row


def test_changes_show_old_and_new_values_escaped(admin, make_product, make_certificate):
    certificate = make_certificate(make_product(stars=None))
    revoke_certificate(certificate, "<script>alert(1)</script> gian lận hồ sơ")
    db.session.commit()
    page = admin.get("/en/admin/audit").get_data(as_text=True)
    assert "Certificate revoked" in page and "Entries found: 1" in page
    assert "Reason for revoking: <del>—</del> → <ins>&lt;script&gt;alert(1)&lt;/script&gt; gian lận hồ sơ</ins>" in page
    assert "<script>alert(1)" not in page
    assert f'<a href="/en/admin/certificates/{certificate.id}">Certificate {certificate.number}</a>' in page


def test_filters_by_actor_action_object_and_local_dates(admin):
    # 23:30 UTC on 9 March is already 10 March in Quảng Ngãi (UTC+7).
    entry("certificate.issue", 1, datetime(2026, 3, 9, 16, 30), actor="a@ocop.example")
    entry("certificate.revoke", 1, datetime(2026, 3, 9, 17, 30), actor="b@ocop.example")
    entry("certificate.renew", 2, datetime(2026, 3, 12, 2, 0), actor="system")
    entry("product.update", 2, datetime(2026, 3, 12, 3, 0), object_type="product")
    db.session.commit()

    def found(query):
        response = admin.get("/en/admin/audit?" + query)
        assert response.status_code == 200
        return int(response.get_data(as_text=True).split("Entries found: ")[1].split("<")[0])

    assert found("") == 4
    assert found("actor=b@ocop") == 1
    assert found("actor=system") == 1
    assert found("action=certificate.revoke") == 1
    assert found("object_type=certificate&object_id=1") == 2
    assert found("object_type=product") == 1
    assert found("since=2026-03-10&until=2026-03-10") == 1  # the revocation, 00:30 local time
    assert found("until=2026-03-09") == 1
    assert found("since=2026-03-11") == 2
    page = admin.get("/en/admin/audit?since=yesterday&object_id=abc").get_data(as_text=True)
    assert "Some filters were not understood" in page and "Entries found: 4" in page


def test_the_log_is_paginated_newest_first(admin):
    start = datetime(2026, 1, 1)
    for number in range(120):
        entry("certificate.issue", number, start + timedelta(minutes=number))
    db.session.commit()
    first = admin.get("/en/admin/audit").get_data(as_text=True)
    assert "Certificate #119<" in first and "#69<" not in first and 'rel="next"' in first
    third = admin.get("/en/admin/audit?page=3").get_data(as_text=True)
    assert "#19" in third and "#0<" in third and 'rel="next"' not in third
    assert admin.get("/en/admin/audit?page=4").status_code == 404
    assert admin.get("/en/admin/audit?page=0").status_code == 400


def found_in(client, query):
    page = client.get("/en/admin/audit?" + query).get_data(as_text=True)
    return int(page.split("Entries found: ")[1].split("<")[0])


def test_the_actor_is_found_by_name_and_the_command_line_in_either_language(admin, make_user):
    lan = make_user(role=Role.ADMIN, email="lan@ocop.example", name="Nguyễn Thị Lan")
    entry("certificate.issue", 1, datetime(2026, 3, 9, 2, 0), actor=lan.email).actor = lan
    entry("user.create", 2, datetime(2026, 3, 9, 3, 0), actor="command line", object_type="user")
    entry("order.expire", 3, datetime(2026, 3, 9, 4, 0), actor="system", object_type="order")
    db.session.commit()
    assert found_in(admin, "actor=Thị Lan") == 1
    assert found_in(admin, "actor=command+line") == 1
    assert found_in(admin, "actor=dòng lệnh") == 1 and found_in(admin, "actor=dong+lenh") == 1
    assert found_in(admin, "actor=the+shop") == 1 and found_in(admin, "actor=cửa hàng") == 1


@pytest.fixture
def refused_change(app, admin, make_product, make_user, sign_in):
    """A producer's change to "Quế Trà Bồng", refused by the office (signed in as `admin`)."""
    from storefront.catalog.models import ListingEdit

    product = make_product(name_vi="Quế Trà Bồng", price=120_000)
    producer = make_user(role=Role.PRODUCER, producer=product.producer, email="htx@que.example", name="Chị Hoa")
    db.session.commit()
    producer_client = app.test_client()
    producer_client.post("/sign-in", data={"email": producer.email, "password": "mật-khẩu-đủ-dài-1"})
    form = {name: getattr(product, name) or "" for name in
            ("name_vi", "name_en", "summary_vi", "summary_en", "description_vi", "description_en", "story_vi",
             "story_en", "heritage_vi", "heritage_en", "unit_vi", "unit_en")}
    assert producer_client.post(f"/producer/products/{product.id}/text",
                                data={**form, "summary_vi": "Quế thơm nhất"}).status_code == 302
    assert producer_client.post(f"/producer/products/{product.id}/price-stock",
                                data={"price": "120000", "stock": str(product.stock)}).status_code == 302
    edit = db.session.scalar(select(ListingEdit))
    assert admin.post(f"/admin/moderation/{edit.id}/reject", data={"reason": "Bỏ chữ “nhất”."}).status_code == 302
    return product, edit


def test_the_log_reads_in_words_in_both_languages_with_local_times(admin, refused_change):
    product, edit = refused_change
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action != "user.sign_in_new_device")
                                 .order_by(AuditEntry.id)).all()
    # Saving the price unchanged recorded nothing.
    assert [row.action for row in entries] == ["listing_edit.propose", "listing_edit.reject"]
    # An entry from before listing edits kept their product's name is named from the database.
    entries[1].object_label = ""
    entries[1].at = datetime(2026, 3, 9, 17, 30, 12, 345678)  # 00:30 on 10 March in Quảng Ngãi
    db.session.commit()
    english = admin.get("/en/admin/audit").get_data(as_text=True)
    assert "Change refused" in english and "Change sent for review" in english
    assert f'<a href="/en/admin/moderation/{edit.id}">Listing edit of Quế Trà Bồng</a>' in english
    assert "State: <del>Waiting for review</del> → <ins>Refused</ins>" in english
    assert "Decided by: <del>—</del> → <ins>Người dùng (thanh.tra@ocop.example)</ins>" in english
    assert "Summary (Vietnamese): <del>—</del> → <ins>Quế thơm nhất</ins>" in english
    assert "<td>10/03/2026 00:30</td>" in english and "Chị Hoa (htx@que.example)" in english
    for raw in ("listing_edit.reject", "listingedit", "decided_by_id", "2026-03-09T", ".345678", "#"):
        assert raw not in english.split("<table")[1], raw
    vietnamese = admin.get("/admin/audit").get_data(as_text=True)
    assert "Từ chối thay đổi" in vietnamese and "Thay đổi nội dung của Quế Trà Bồng" in vietnamese
    assert "Tình trạng: <del>Chờ duyệt</del> → <ins>Bị từ chối</ins>" in vietnamese
    assert "Người quyết định: <del>—</del> → <ins>Người dùng (thanh.tra@ocop.example)</ins>" in vietnamese
    assert ">Từ chối thay đổi</option>" in vietnamese  # the action filter lists names, not codes


def test_orders_prices_and_people_are_named(admin, make_user):
    office = make_user(role=Role.ADMIN, email="hung@ocop.example", name="Trần Hùng")
    entry("order.cancel", 7, datetime(2026, 3, 1, 3, 0), object_type="order",
          changes={"status": ["confirmed", "cancelled"]}).object_label = "QN7K2M9PXA"
    entry("product.price_stock", 8, datetime(2026, 3, 1, 4, 0), object_type="product",
          changes={"price": [120000, 135000], "sold_online": [False, True]}).object_label = "Tỏi Lý Sơn"
    entry("listing_edit.approve", 9, datetime(2026, 3, 1, 5, 0), object_type="listingedit",
          changes={"decided_by_id": [None, office.id], "decided_at": [None, "2026-03-01T05:00:00.123456"]})
    db.session.commit()
    page = admin.get("/en/admin/audit").get_data(as_text=True)
    assert "Order cancelled" in page and '<a href="/en/admin/orders/QN7K2M9PXA">Order QN7K2M9PXA</a>' in page
    assert "State: <del>Confirmed</del> → <ins>Cancelled</ins>" in page
    assert "Price: <del>120.000\u00a0₫</del> → <ins>135.000\u00a0₫</ins>" in page
    assert "Sold online: <del>No</del> → <ins>Yes</ins>" in page
    assert "Decided by: <del>—</del> → <ins>Trần Hùng (hung@ocop.example)</ins>" in page
    assert "Decided: <del>—</del> → <ins>01/03/2026 12:00</ins>" in page
    assert "Listing edit #9" in page  # a deleted edit whose product is unknown keeps its number


def csv_rows(response):
    import csv
    import io

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="audit-log-')
    assert response.data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for Vietnamese
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_the_log_is_exported_as_csv_with_the_page_filters_and_formulas_made_harmless(admin, refused_change):
    product, _edit = refused_change
    entry("certificate.revoke", 1, datetime(2026, 3, 9, 17, 30), note="=HYPERLINK(\"http://evil\")",
          changes={"revocation_reason": [None, "+cmd|' /C calc'!A0"]})
    db.session.commit()
    page = admin.get("/admin/audit?object_type=listingedit").get_data(as_text=True)
    assert 'href="/admin/audit.csv?object_type=listingedit"' in page

    rows = csv_rows(admin.get("/admin/audit.csv?object_type=listingedit"))
    assert rows[0] == ["Thời điểm (giờ Quảng Ngãi)", "Người thực hiện", "Thao tác", "Loại đối tượng", "Mã số đối tượng",
                       "Đối tượng", "Thay đổi", "Ghi chú"]
    assert [row[2] for row in rows[1:]] == ["Từ chối thay đổi", "Gửi thay đổi để duyệt"]
    assert rows[1][5] == "Thay đổi nội dung của Quế Trà Bồng" and rows[1][7] == "Bỏ chữ “nhất”."
    assert "Tình trạng: Chờ duyệt → Bị từ chối" in rows[1][6].split("\n")

    english = csv_rows(admin.get("/en/admin/audit.csv?action=certificate.revoke&since=2026-03-10"))
    assert english[0][0] == "When (Quảng Ngãi time)" and len(english) == 2
    assert english[1][:3] == ["10/03/2026 00:30", "can.bo@ocop.example", "Certificate revoked"]
    assert english[1][7] == "'=HYPERLINK(\"http://evil\")"
    assert english[1][6] == "Reason for revoking: — → +cmd|' /C calc'!A0"  # inside the cell, not at its start
    assert len(csv_rows(admin.get("/en/admin/audit.csv?action=certificate.revoke&since=2026-03-11"))) == 1


def test_a_cell_starting_a_formula_is_written_with_an_apostrophe(admin):
    entry("certificate.issue", 1, datetime(2026, 3, 9, 2, 0), actor="=cmd@ocop.example").object_label = "-1+1"
    db.session.commit()
    [_header, row] = csv_rows(admin.get("/en/admin/audit.csv"))
    assert row[1] == "'=cmd@ocop.example" and row[5] == "Certificate -1+1"


def test_only_the_office_can_export_the_log(app, make_user, make_product, sign_in, client):
    producer = make_user(role=Role.PRODUCER)
    db.session.commit()
    assert client.get("/admin/audit.csv").status_code in (302, 401, 403, 404)
    sign_in(producer)
    response = client.get("/admin/audit.csv")
    assert response.status_code in (403, 404) and not response.data.startswith(b"\xef\xbb\xbf")
