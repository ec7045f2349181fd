from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db


class MediaImage(db.Model):
    """An image processed into WebP renditions; the files live under MEDIA_ROOT, named by `key`."""

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
