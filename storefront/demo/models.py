from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db


class DemoDataset(db.Model):
    """Present while the catalogue holds the fictional demo data, so the site can say so."""

    id: Mapped[int] = mapped_column(primary_key=True)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
