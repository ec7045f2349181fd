import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import exists, select

from ..clock import utcnow
from ..extensions import db
from .models import MessageStatus, OutboxMessage

MAX_ATTEMPTS = 8
log = logging.getLogger(__name__)


def queue_message(kind: str, recipient: str, subject: str, body: str,
                  dedupe_key: str | None = None) -> OutboxMessage | None:
    """Stage a message in the caller's transaction; None when `dedupe_key` was already queued."""
    if dedupe_key is not None:
        already = db.session.scalar(select(exists().where(OutboxMessage.dedupe_key == dedupe_key)))
        if already or any(isinstance(obj, OutboxMessage) and obj.dedupe_key == dedupe_key
                          for obj in db.session.new):
            return None
    message = OutboxMessage(kind=kind, recipient=recipient.strip(), subject=subject[:300], body=body,
                            dedupe_key=dedupe_key)
    db.session.add(message)
    return message


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each failure, at most six hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


def send_due(limit: int = 100) -> tuple[int, int]:
    """Deliver pending messages whose time has come; returns (sent, failed attempts). Commits each one,
    so a crash in the middle never sends a message twice nor loses the record of one sent."""
    sent = failed = 0
    due = db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == MessageStatus.PENDING, OutboxMessage.next_attempt_at <= utcnow())
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)).all()
    for message_id in due:
        message = db.session.get(OutboxMessage, message_id, with_for_update={"skip_locked": True})
        if message is None or message.status != MessageStatus.PENDING:
            db.session.rollback()
            continue
        message.attempts += 1
        try:
            deliver(message)
        except (OSError, smtplib.SMTPException) as error:
            failed += 1
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = MessageStatus.FAILED
            else:
                message.next_attempt_at = utcnow() + retry_delay(message.attempts)
        else:
            sent += 1
            message.status = MessageStatus.SENT
            message.sent_at = utcnow()
            message.last_error = ""
        db.session.commit()
    return sent, failed


def deliver(message: OutboxMessage) -> None:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        log.info("message %s (%s) to %s: %s\n%s", message.id, message.kind, message.recipient,
                 message.subject, message.body)
        return
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        smtp.send_message(email)
