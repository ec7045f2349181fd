"""`flask certificates notify`: each producer is told once per certificate and threshold, never about a
certificate that was revoked, has already ended, or was renewed."""
from datetime import date

from sqlalchemy import select

from storefront.accounts.models import Role
from storefront.certification.models import CertificationLevel
from storefront.certification.operations import revoke_certificate
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage

DAY = date(2026, 11, 20)


def outbox():
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def notify(app):
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["certificates", "notify"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_notice_goes_once_per_certificate_and_threshold(app, travel_to, make_producer, make_product,
                                                            make_certificate):
    travel_to(DAY)
    producer = make_producer(name="HTX Tỏi Lý Sơn", email="htx@toilyson.example")
    certificate = make_certificate(make_product(stars=None, producer=producer, name_vi="Tỏi cô đơn"),
                                   decision_date=date(2024, 2, 19))  # ends 18/02/2027: 90 days left
    output = notify(app)
    assert "Queued the 90-day notice of " + certificate.number in output and "queued 1 notice" in output
    [message] = outbox()
    assert message.recipient == "htx@toilyson.example"
    assert message.dedupe_key == f"certificate-{certificate.id}-expiring-90"
    assert "18/02/2027" in message.subject and "Tỏi cô đơn" in message.body and "còn 90 ngày" in message.body

    travel_to(date(2026, 11, 21))
    assert "queued 0 notice(s); 1 already sent" in notify(app)
    assert len(outbox()) == 1

    travel_to(date(2027, 1, 19))  # 30 days left: the second notice, once
    notify(app)
    notify(app)
    assert [m.dedupe_key for m in outbox()] == [f"certificate-{certificate.id}-expiring-90",
                                                f"certificate-{certificate.id}-expiring-30"]


def test_a_certificate_found_late_gets_only_the_30_day_notice(app, travel_to, make_producer, make_product,
                                                              make_certificate):
    travel_to(DAY)
    producer = make_producer(email="coso@example.vn")
    certificate = make_certificate(make_product(stars=None, producer=producer), decision_date=date(2023, 12, 10))
    notify(app)
    assert [m.dedupe_key for m in outbox()] == [f"certificate-{certificate.id}-expiring-30"]


def test_no_notice_for_revoked_expired_renewed_or_distant_certificates(app, travel_to, make_producer,
                                                                       make_product, make_certificate):
    travel_to(DAY)
    producer = make_producer(email="coso@example.vn")
    revoked = make_certificate(make_product(stars=None, producer=producer), decision_date=date(2023, 12, 10))
    revoke_certificate(revoked, "Ngừng sản xuất sản phẩm")
    make_certificate(make_product(stars=None, producer=producer), decision_date=date(2023, 11, 1))  # ended
    renewed_product = make_product(stars=None, producer=producer)
    make_certificate(renewed_product, decision_date=date(2023, 12, 10))
    make_certificate(renewed_product, decision_date=date(2026, 11, 1))  # its renewal
    make_certificate(make_product(stars=None, producer=producer), decision_date=date(2024, 6, 1))  # 6 months
    assert "queued 0 notice(s)" in notify(app)
    assert [message.kind for message in outbox()] == ["certificate-revoked"]  # told once, when it was revoked


def test_a_producer_without_its_own_address_is_written_to_through_its_accounts(
        app, travel_to, make_producer, make_product, make_certificate, make_user):
    travel_to(DAY)
    producer = make_producer(email=None, phone="0905123456")
    certificate = make_certificate(make_product(stars=None, producer=producer), decision_date=date(2023, 12, 10))
    output = notify(app)
    assert "No e-mail address" in output and "0905123456" in output and "1 producer(s) without" in output
    assert outbox() == []
    make_user(role=Role.PRODUCER, producer=producer, email="chu@coso.example")
    notify(app)
    [message] = outbox()
    assert message.recipient == "chu@coso.example"
    assert message.dedupe_key == f"certificate-{certificate.id}-expiring-30"


def test_a_district_certificate_is_renewed_at_the_province(app, travel_to, make_producer, make_product,
                                                           make_certificate):
    """Districts stopped certifying on 1 July 2025: the notice sends the producer to the province."""
    travel_to(DAY)
    producer = make_producer(email="coso@example.vn")
    certificate = make_certificate(make_product(stars=None, producer=producer), decision_date=date(2023, 12, 10))
    certificate.level, certificate.authority = CertificationLevel.DISTRICT, "UBND huyện Lý Sơn"
    notify(app)
    [message] = outbox()
    assert "hồ sơ đánh giá lại tại UBND tỉnh Quảng Ngãi" in message.body
    assert "re-evaluation to UBND tỉnh Quảng Ngãi" in message.body
