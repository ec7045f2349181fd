"""Product lists waiting between the office's dry run and its confirmation.

The checked file is kept in the database (`import_upload`), so any app node can import it; only the
office account that checked it may confirm it, within a day. Confirming takes the upload out in the
import's own transaction: a second confirmation (even at the same moment, on another node) finds
nothing, and an import that fails puts it back by rolling back.
"""
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete

from ..accounts.models import User
from ..clock import utcnow
from ..extensions import db
from .importer import ImportFileError
from .models import ImportUpload

KEEP_UPLOADS = timedelta(days=1)
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32}")


@dataclass(frozen=True)
class TakenUpload:
    filename: str
    data: bytes


def check_upload_size(data: bytes) -> None:
    limit = current_app.config["IMPORT_MAX_BYTES"]
    if len(data) > limit:
        raise ImportFileError(_("The file is larger than %(size)s MB.", size=limit // (1024 * 1024)))


def keep_upload(user: User, filename: str, data: bytes) -> str:
    """Stage the checked file for `user`'s confirmation; returns the token the confirmation form carries."""
    check_upload_size(data)
    forget_expired_uploads()
    token = secrets.token_urlsafe(24)
    db.session.add(ImportUpload(token=token, user_id=user.id, filename=filename[:120], data=data, size=len(data),
                                created_at=utcnow()))
    return token


def take_upload(user: User, token: str) -> TakenUpload | None:
    """Remove and return `user`'s upload named `token`, unless it is someone else's, expired or gone.

    The removal belongs to the caller's transaction: it commits with the import, or rolls back with it."""
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        return None
    taken = db.session.execute(
        delete(ImportUpload)
        .where(ImportUpload.token == token, ImportUpload.user_id == user.id,
               ImportUpload.created_at >= utcnow() - KEEP_UPLOADS)
        .returning(ImportUpload.filename, ImportUpload.data)
        .execution_options(synchronize_session=False)).first()
    return TakenUpload(taken.filename, bytes(taken.data)) if taken is not None else None


def forget_expired_uploads() -> int:
    """Remove the uploads nobody confirmed within a day; returns how many."""
    result = db.session.execute(delete(ImportUpload).where(ImportUpload.created_at < utcnow() - KEEP_UPLOADS)
                                .execution_options(synchronize_session=False))
    return result.rowcount
