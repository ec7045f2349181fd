"""The account e-mails a test reads from the outbox, and the links in them (shared by tests/accounts and
tests/e2e, which import it like shared.py)."""
import re

from sqlalchemy import select

from storefront.extensions import db
from storefront.notifications.models import OutboxMessage


def messages_to(email, kind=None) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.recipient == email)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.scalars(query.order_by(OutboxMessage.id)).all()


def link_in(message, path) -> str:
    """The path (with its /en prefix, if any) of the first link to `path` in the message."""
    return re.search(rf"https?://[^/\s]+((?:/en)?/{path}/\S+)", message.body).group(1)
