"""App nodes for the media store's tests: Flask apps of their own (their own engine, so their own
connections) with their own folders, sharing the test database, as two machines behind a load balancer."""
import pytest

from storefront import create_app
from storefront.config import TestConfig
from storefront.extensions import db

from shared import DATABASE_URL
from shop import ShopClient


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
