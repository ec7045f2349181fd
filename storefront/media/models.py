from datetime import datetime

from sqlalchemy import CheckConstraint, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db


class MediaImage(db.Model):
    """An image processed into WebP renditions; the files live in the media store, named by `key`."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    # Comma-separated widths of the renditions on disk, smallest first.
    rendition_widths: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def widths(self) -> list[int]:
        return [int(w) for w in self.rendition_widths.split(",")]

    def height_for(self, width: int) -> int:
        return round(self.height * width / self.width)

    def __repr__(self):
        return f"<MediaImage {self.key}>"


class MediaBlob(db.Model):
    """A media file kept in the database (MEDIA_STORE=postgresql), named as the local store names its files.

    Names hold the content's hash, so a blob is never changed: only written once, and removed once no row
    uses it (`flask media prune`). `stored_at` is when it was last written, which the cleanup's grace
    period counts from."""

    __table_args__ = (CheckConstraint("size = length(data)", name="size_is_length"),)

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int]
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self):
        return f"<MediaBlob {self.name}>"
