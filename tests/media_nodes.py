"""Helpers the media store's tests share (imported like shared.py)."""
import io
from pathlib import Path

import pytest
from PIL import Image

from storefront import create_app
from storefront.config import TestConfig
from storefront.extensions import db

from shared import DATABASE_URL, ON_POSTGRES
from shop import ShopClient

needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="the PostgreSQL media store needs a PostgreSQL database: set TEST_DATABASE_URL")


def photo(color=(30, 120, 200), size=(700, 500)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# App nodes: Flask apps of their own (their own engine, so their own connections) with their own folders,
# sharing the test database, as two machines behind a load balancer. Modules import the fixture.


@pytest.fixture
def node(tmp_path):
    """`node("a")`: an app node with MEDIA_STORE=postgresql and an empty cache folder of its own."""
    made = []

    def make(name, **settings):
        folder = tmp_path / name
        app = create_app(type("NodeConfig", (TestConfig,), {
            "SQLALCHEMY_DATABASE_URI": DATABASE_URL, "MEDIA_STORE": "postgresql",
            "MEDIA_CACHE_DIR": str(folder / "media-cache"), "MEDIA_ROOT": str(folder / "media"),
            "SEARCH_INDEX_DIR": str(folder / "search-index"), **settings}))
        app.test_client_class = ShopClient
        app.cache_dir = folder / "media-cache"
        made.append(app)
        return app
    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
