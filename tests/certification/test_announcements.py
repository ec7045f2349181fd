"""The producer hears, in Vietnamese, of each certificate issued, renewed, upgraded or revoked: once, at its own
address and its active accounts' addresses, through the outbox."""
from datetime import date

import pytest
from sqlalchemy import select

from catalog_files_fixture import sample_producers  # noqa: F401  (a fixture)
from storefront.accounts.models import Role
from storefront.catalog.importer import COLUMNS, apply_plan, dry_run
from storefront.certification.models import CertificationLevel
from storefront.certification.operations import (Decision, announce_certificates, issue_certificate,
                                                 renew_certificate, revoke_certificate, upgrade_certificate)
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage

TODAY = date(2026, 3, 10)


def outbox():
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def decision(number, stars=3, score=60, decided=TODAY):
    return Decision(number=number, stars=stars, score=score, decision_number=f"{number}/QĐ-UBND",
                    decision_date=decided, authority="UBND tỉnh Quảng Ngãi", level=CertificationLevel.PROVINCE)


@pytest.fixture
def producer(travel_to, make_producer, make_user):
    travel_to(TODAY)
    producer = make_producer(name="HTX Tỏi Lý Sơn", email="HTX@ToiLySon.example ")
    make_user(role=Role.PRODUCER, producer=producer, email="chu.nhiem@toilyson.example")
    make_user(role=Role.PRODUCER, producer=producer, email="htx@toilyson.example")  # the same address: once
    make_user(role=Role.PRODUCER, producer=producer, email="nghi.viec@toilyson.example", active=False)
    return producer


def test_each_step_of_a_certificate_is_announced_once_in_vietnamese(producer, make_product, make_certificate):
    product = make_product(stars=None, producer=producer, name_vi="Tỏi cô đơn")
    first = issue_certificate(product, decision("001/2026/OCOP"))
    renewed = renew_certificate(first, decision("002/2026/OCOP", score=65))
    upgraded = upgrade_certificate(renewed, decision("003/2026/OCOP", stars=4, score=78))
    revoke_certificate(upgraded, "Sản phẩm không còn đáp ứng tiêu chí chất lượng",
                       reason_en="The product no longer meets the quality criteria")
    db.session.flush()
    messages = outbox()
    assert [m.kind for m in messages] == ["certificate-issued", "certificate-renewed", "certificate-upgraded",
                                          "certificate-revoked"]
    assert {m.recipient for m in messages} == {"chu.nhiem@toilyson.example, htx@toilyson.example"}
    issued, renewal, upgrade, revocation = messages
    assert issued.subject == "Đã cấp giấy chứng nhận OCOP 001/2026/OCOP cho Tỏi cô đơn"
    assert "Kính gửi HTX Tỏi Lý Sơn" in issued.body and "3 sao" in issued.body
    assert "hiệu lực đến ngày 09/03/2029" in issued.body
    assert "gia hạn 001/2026/OCOP" in renewal.body
    assert "4 sao" in upgrade.subject and "thay cho 002/2026/OCOP" in upgrade.body
    assert "bị thu hồi" in revocation.subject
    assert "Sản phẩm không còn đáp ứng tiêu chí chất lượng" in revocation.body
    assert "quality criteria" not in revocation.body  # the producer reads the authority's own words
    # Asked again (a retried request), nothing more is queued.
    for certificate, event in ((first, "issued"), (renewed, "renewed"), (upgraded, "upgraded"),
                               (upgraded, "revoked")):
        assert announce_certificates([(certificate, event)]) == []
    db.session.flush()
    assert len(outbox()) == 4
    assert [m.dedupe_key for m in messages] == [f"certificate-{first.id}-issued", f"certificate-{renewed.id}-renewed",
                                                f"certificate-{upgraded.id}-upgraded",
                                                f"certificate-{upgraded.id}-revoked"]


def test_a_producer_without_any_address_is_not_written_to(travel_to, make_producer, make_product):
    travel_to(TODAY)
    product = make_product(stars=None, producer=make_producer(email=None))
    issue_certificate(product, decision("010/2026/OCOP"))
    db.session.flush()
    assert outbox() == []


def test_an_imported_list_tells_each_producer_once_of_its_certificates_in_force(
        sample_producers, make_product, make_certificate, travel_to):
    travel_to(date(2026, 11, 22))
    garlic = sample_producers["HTX Sản xuất và kinh doanh tỏi Kim Lộc"]
    garlic.email = "kimloc@example.vn"
    existing = make_product(name_vi="Tỏi đen Kim Lộc", producer=garlic, stars=None)
    make_certificate(existing, stars=3, decision_date=date(2023, 11, 1))
    db.session.commit()
    header = ",".join(column.header_vi for column in COLUMNS)

    def line(name, stars, score, number, decided="01/10/2026"):
        values = {"name_vi": name, "producer": garlic.name, "district": "Lý Sơn", "group": "Thực phẩm",
                  "subgroup": "Thực phẩm chế biến", "stars": stars, "score": score, "certificate_number": number,
                  "decision_number": f"{number}/QĐ", "decision_date": decided}
        return ",".join(f'"{values.get(column.key, "")}"' for column in COLUMNS)

    data = "\n".join([header, line("Tỏi đen Kim Lộc", 4, 75, "K-1"), line("Mật ong Kim Lộc", 3, 60, "K-2"),
                      line("Hành tím Kim Lộc", 3, 60, "K-3", decided="01/02/2020")]).encode()
    report = dry_run(data)
    assert report.ok, report.problems
    apply_plan(report, "list.csv")
    db.session.flush()
    [message] = outbox()  # one message for the producer; the certificate that ended in 2023 is no news
    assert message.recipient == "kimloc@example.vn" and message.kind == "certificate-import"
    assert "Tỏi đen Kim Lộc" in message.body and "4 sao" in message.body and "K-1" in message.body
    assert "Mật ong Kim Lộc" in message.body and "K-2" in message.body and "K-3" not in message.body
