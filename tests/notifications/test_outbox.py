"""The outbox: messages exist exactly when their change commits, go once, and failures retry later."""
import smtplib

import pytest
from sqlalchemy import select

from storefront.clock import utcnow
from storefront.extensions import db
from storefront.notifications import operations
from storefront.notifications.models import MessageStatus, OutboxMessage
from storefront.notifications.operations import queue_message, send_due


def messages():
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_a_rolled_back_change_leaves_no_message():
    queue_message("order-placed", "lan@example.vn", "Đơn hàng", "Cảm ơn")
    db.session.rollback()
    assert messages() == []


def test_a_message_with_a_dedupe_key_is_queued_once():
    assert queue_message("certificate-expiring", "a@example.vn", "S", "B", dedupe_key="cert-1-30") is not None
    assert queue_message("certificate-expiring", "a@example.vn", "S", "B", dedupe_key="cert-1-30") is None
    db.session.commit()
    assert queue_message("certificate-expiring", "a@example.vn", "S", "B", dedupe_key="cert-1-30") is None
    assert len(messages()) == 1


def test_without_a_mail_server_messages_go_to_the_log(caplog):
    queue_message("order-placed", "lan@example.vn", "Đơn hàng OCOP-1", "Cảm ơn bạn")
    db.session.commit()
    with caplog.at_level("INFO", logger="storefront.notifications.operations"):
        assert send_due() == (1, 0)
    assert "Đơn hàng OCOP-1" in caplog.text and "lan@example.vn" in caplog.text
    [message] = messages()
    assert message.status == MessageStatus.SENT and message.sent_at is not None
    assert send_due() == (0, 0)  # never twice


class FailingSMTP:
    def __init__(self, *args, **kwargs):
        raise smtplib.SMTPConnectError(421, "try later")


class RecordingSMTP:
    sent = []

    def __init__(self, host, port, timeout):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, email):
        RecordingSMTP.sent.append(email)


@pytest.fixture
def mail_server(app):
    app.config["MAIL_SERVER"] = "smtp.example.vn"
    yield
    app.config["MAIL_SERVER"] = ""


def test_a_failed_send_is_retried_later_and_then_sent(monkeypatch, mail_server):
    queue_message("order-placed", "lan@example.vn", "Đơn hàng", "Nội dung")
    db.session.commit()
    monkeypatch.setattr(operations.smtplib, "SMTP", FailingSMTP)
    assert send_due() == (0, 1)
    [message] = messages()
    assert message.status == MessageStatus.PENDING and message.attempts == 1
    assert "try later" in message.last_error and message.next_attempt_at > utcnow()
    assert send_due() == (0, 0)  # not due yet

    message.next_attempt_at = utcnow()
    db.session.commit()
    RecordingSMTP.sent.clear()
    monkeypatch.setattr(operations.smtplib, "SMTP", RecordingSMTP)
    assert send_due() == (1, 0)
    [email] = RecordingSMTP.sent
    assert email["To"] == "lan@example.vn" and email["Subject"] == "Đơn hàng"
    assert messages()[0].status == MessageStatus.SENT


def test_a_message_that_keeps_failing_is_given_up(monkeypatch, mail_server):
    queue_message("order-placed", "lan@example.vn", "S", "B")
    db.session.commit()
    monkeypatch.setattr(operations.smtplib, "SMTP", FailingSMTP)
    for _ in range(operations.MAX_ATTEMPTS):
        message = messages()[0]
        message.next_attempt_at = utcnow()
        db.session.commit()
        send_due()
    assert messages()[0].status == MessageStatus.FAILED


def test_the_command_reports_what_it_did(app):
    queue_message("order-placed", "lan@example.vn", "S", "B")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "send"])
    assert result.exit_code == 0 and "Sent 1, failed 0" in result.output
