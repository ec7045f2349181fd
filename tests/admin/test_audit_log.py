"""The audit log page: every change, filterable, with each field's old and new value, escaped."""
from datetime import datetime, timedelta

import pytest

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
    assert "certificate.revoke" in page and "Entries found: 1" in page
    assert "<del>—</del> → <ins>&lt;script&gt;alert(1)&lt;/script&gt; gian lận hồ sơ</ins>" in page
    assert "<script>alert(1)" not in page
    assert f"/en/admin/certificates/{certificate.id}" in page


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
    assert "#119" in first and "#69" not in first and 'rel="next"' in first
    third = admin.get("/en/admin/audit?page=3").get_data(as_text=True)
    assert "#19" in third and "#0<" in third and 'rel="next"' not in third
    assert admin.get("/en/admin/audit?page=4").status_code == 404
    assert admin.get("/en/admin/audit?page=0").status_code == 400
