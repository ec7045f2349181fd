"""A certificate's life: issued, renewed, upgraded, revoked; products follow it, each step is audited."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from storefront.audit.models import AuditEntry
from storefront.certification.models import Certificate, CertificateStatus, CertificationLevel
from storefront.certification.operations import (CertificateRefused, Decision, issue_certificate,
                                                 renew_certificate, revoke_certificate, upgrade_certificate)
from storefront.certification.queries import (current_certificate, expiry_dashboard, is_superseded,
                                              stars_by_product)
from storefront.extensions import db
from storefront.i18n import set_lang

TODAY = date(2026, 3, 10)


def decision(number="015/2026/OCOP", stars=3, score=60, decided=TODAY, authority="UBND tỉnh Quảng Ngãi",
             level=CertificationLevel.PROVINCE, valid_until=None, decision_number="310/QĐ-UBND"):
    return Decision(number=number, stars=stars, score=score, decision_number=decision_number,
                    decision_date=decided, authority=authority, level=level, valid_until=valid_until)


def entries(action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


@pytest.fixture(autouse=True)
def in_english():
    """The refusals are read in English here; the pages test them in Vietnamese too."""
    set_lang("en")
    yield
    set_lang("vi")


@pytest.fixture
def on_march_10(travel_to):
    travel_to(TODAY)


def test_issuing_certifies_the_product_for_36_months_and_records_who_did_it(
        on_march_10, make_product, make_user):
    product = make_product(stars=None)
    certificate = issue_certificate(product, decision())
    db.session.flush()
    assert certificate.valid_from == TODAY
    assert certificate.valid_until == date(2029, 3, 9)
    assert len(certificate.verification_code) == 10
    assert stars_by_product([product.id]) == {product.id: 3}
    [entry] = entries("certificate.issue")
    assert entry.object_id == certificate.id and entry.actor_label == "system"
    assert entry.changes["number"] == [None, "015/2026/OCOP"]
    assert entry.changes["valid_until"] == [None, "2029-03-09"]


def test_a_decision_may_state_its_own_end(on_march_10, make_product):
    certificate = issue_certificate(make_product(stars=None), decision(valid_until=date(2027, 12, 31)))
    assert certificate.valid_until == date(2027, 12, 31)


@pytest.mark.parametrize("changes, message", [
    ({"stars": 2, "score": 40}, "Only 3, 4 and 5"),
    ({"stars": 4, "score": 60}, "gives 3 stars, not 4"),
    ({"stars": 3, "score": 70}, "gives 4 stars, not 3"),
    ({"stars": 5, "score": 95}, "central level"),
    ({"score": 101}, "out of 100"),
    ({"decided": TODAY + timedelta(days=1)}, "future"),
    ({"number": "  "}, "missing"),
    ({"decision_number": "x" * 61}, "too long"),
    ({"valid_until": TODAY - timedelta(days=1)}, "before its decision date"),
    ({"level": CertificationLevel.DISTRICT}, "no longer certify"),
])
def test_an_inconsistent_decision_is_refused_and_changes_nothing(on_march_10, make_product, changes, message):
    product = make_product(stars=None)
    with pytest.raises(CertificateRefused, match=message):
        issue_certificate(product, decision(**changes))
    db.session.flush()
    assert db.session.scalar(select(Certificate).where(Certificate.product_id == product.id)) is None
    assert entries("certificate.issue") == []


def test_a_number_is_unique_for_its_authority_only(on_march_10, make_product):
    issue_certificate(make_product(stars=None), decision())
    with pytest.raises(CertificateRefused, match="already issued"):
        issue_certificate(make_product(stars=None), decision())
    other = issue_certificate(make_product(stars=None), decision(authority="Bộ Nông nghiệp và Môi trường",
                                                                   level=CertificationLevel.CENTRAL, stars=5,
                                                                   score=92))
    assert other.number == "015/2026/OCOP"


def test_renewal_makes_a_new_certificate_and_keeps_the_old_as_history(travel_to, make_product, make_certificate):
    travel_to(TODAY)
    product = make_product(stars=None)
    old = make_certificate(product, stars=3, decision_date=date(2023, 3, 20))  # valid until 19/03/2026
    new = renew_certificate(old, decision(decided=date(2026, 3, 9), score=65))
    db.session.flush()
    assert new.replaces_id == old.id and new.valid_until == date(2029, 3, 8)
    assert db.session.get(Certificate, old.id).revoked_at is None
    assert is_superseded(old) and not is_superseded(new)
    travel_to(date(2026, 3, 25))  # the old one has ended; the product carries on with the new one
    assert current_certificate(product).id == new.id
    assert expiry_dashboard().expired == []
    [entry] = entries("certificate.renew")
    assert entry.object_id == new.id and old.number in entry.note


def test_upgrading_from_3_to_4_stars_is_a_new_certificate(on_march_10, make_product, make_certificate):
    product = make_product(stars=None)
    old = make_certificate(product, stars=3, decision_date=date(2025, 1, 5))
    with pytest.raises(CertificateRefused, match="more stars"):
        upgrade_certificate(old, decision(stars=3))
    new = upgrade_certificate(old, decision(stars=4, score=78))
    db.session.flush()
    assert stars_by_product([product.id]) == {product.id: 4}
    assert {c.id for c in product.certificates} == {old.id, new.id}
    [entry] = entries("certificate.upgrade")
    assert entry.changes["stars"] == [None, 4] and "from 3 to 4 stars" in entry.note


def test_a_revoked_certificate_cannot_be_renewed_or_revoked_again(on_march_10, make_product, make_certificate):
    old = make_certificate(make_product(stars=None), stars=3)
    revoke_certificate(old, "Vi phạm an toàn thực phẩm")
    with pytest.raises(CertificateRefused, match="revoked"):
        renew_certificate(old, decision())
    with pytest.raises(CertificateRefused, match="already revoked"):
        revoke_certificate(old, "Lần nữa cho chắc")


def test_revoking_needs_a_reason_and_takes_the_stars_away_today(make_product, make_certificate):
    product = make_product(stars=None)
    certificate = make_certificate(product, stars=4)
    with pytest.raises(CertificateRefused, match="reason"):
        revoke_certificate(certificate, "   ")
    assert certificate.revoked_at is None
    revoke_certificate(certificate, "Sản phẩm không còn đáp ứng tiêu chí")
    db.session.flush()
    assert stars_by_product([product.id]) == {}
    [entry] = entries("certificate.revoke")
    assert entry.changes["revoked_at"][0] is None and entry.changes["revocation_reason"][1].startswith("Sản phẩm")


def test_the_dashboard_follows_the_30_and_90_day_boundaries_in_quang_ngai(travel_to, make_product,
                                                                           make_certificate):
    certificate = make_certificate(make_product(stars=None), stars=3, decision_date=date(2023, 12, 1),
                                   valid_until=date(2026, 11, 30))
    expected = {date(2026, 8, 31): "none", date(2026, 9, 1): "within_90", date(2026, 10, 30): "within_90",
                date(2026, 10, 31): "within_30", date(2026, 11, 30): "within_30", date(2026, 12, 1): "expired"}
    for day, group in expected.items():
        travel_to(day)
        dashboard = expiry_dashboard()
        found = [name for name in ("expired", "within_30", "within_90")
                 if certificate in getattr(dashboard, name)]
        assert found == ([] if group == "none" else [group]), day
    travel_to(date(2026, 11, 30))
    assert certificate.status_on(date(2026, 11, 30)) == CertificateStatus.VALID
    assert certificate.status_on(date(2026, 12, 1)) == CertificateStatus.EXPIRED


def test_revoked_and_renewed_certificates_need_no_follow_up(travel_to, make_product, make_certificate):
    travel_to(date(2026, 11, 20))
    revoked = make_certificate(make_product(stars=None), decision_date=date(2023, 12, 1))
    revoke_certificate(revoked, "Ngừng sản xuất sản phẩm")
    product = make_product(stars=None)
    renewed = make_certificate(product, decision_date=date(2023, 12, 1))
    make_certificate(product, decision_date=date(2026, 11, 1))
    db.session.flush()
    dashboard = expiry_dashboard()
    assert revoked not in dashboard.within_30 and renewed not in dashboard.within_30
