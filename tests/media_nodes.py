"""Helpers the media store's tests share (imported like shared.py)."""
import io
from pathlib import Path

import pytest
from PIL import Image

from shared import ON_POSTGRES

needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="the PostgreSQL media store needs a PostgreSQL database: set TEST_DATABASE_URL")


def photo(color=(30, 120, 200), size=(700, 500)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
