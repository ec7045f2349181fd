"""The demo catalogue loaded with MEDIA_STORE=postgresql: its pictures are in the database, so a second
node with an empty cache folder serves them."""
import pytest
from sqlalchemy import func, select

from storefront import create_app
from storefront.config import TestConfig
from storefront.extensions import db
from storefront.media.models import MediaBlob, MediaImage

from shared import ON_POSTGRES
from shop import demo_shop


@pytest.mark.skipif(not ON_POSTGRES, reason="the PostgreSQL media store needs a PostgreSQL database: "
                                            "set TEST_DATABASE_URL")
def test_the_demo_pictures_loaded_on_one_node_are_served_by_another(tmp_path):
    shop = demo_shop(tmp_path / "a", "media_store", MEDIA_STORE="postgresql",
                     MEDIA_CACHE_DIR=str(tmp_path / "a" / "media-cache"))
    loader = next(shop)
    try:
        assert not (tmp_path / "a" / "media").exists()
        other = create_app(type("NodeB", (TestConfig,), {
            "SQLALCHEMY_DATABASE_URI": loader.config["SQLALCHEMY_DATABASE_URI"], "MEDIA_STORE": "postgresql",
            "MEDIA_CACHE_DIR": str(tmp_path / "b" / "media-cache"), "MEDIA_ROOT": str(tmp_path / "b" / "media"),
            "SEARCH_INDEX_DIR": str(tmp_path / "b" / "search-index")}))
        with other.app_context():
            images = db.session.execute(select(MediaImage.key, MediaImage.rendition_widths)).all()
            blobs = db.session.scalar(select(func.count()).select_from(MediaBlob))
            assert images and blobs == sum(len(widths.split(",")) for _, widths in images)
            browser = other.test_client()
            for key, widths in images[:5]:
                response = browser.get(f"/media/{key[:2]}/{key}-{widths.split(',')[0]}.webp")
                assert response.status_code == 200 and response.data[8:12] == b"WEBP"
            assert len(list((tmp_path / "b" / "media-cache").rglob("*.webp"))) == 5
            db.session.remove()
            db.engine.dispose()
    finally:
        next(shop, None)
