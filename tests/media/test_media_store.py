"""The media store: the local folder, and PostgreSQL with a cache folder per app node.

Nodes are Flask apps of their own (their own engine, so their own connections) with their own folders,
sharing the test database, as two machines behind a load balancer would."""
import io
import os
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select, text

from storefront import create_app
from storefront.catalog.models import ProductImage
from storefront.catalog.operations import add_product_photo
from storefront.config import TestConfig
from storefront.extensions import db
from storefront.media.models import MediaBlob, MediaImage
from storefront.media.pipeline import rendition_name, store_image
from storefront.media.storage import InvalidMediaName, LocalStore, build_store, media_store

from media_nodes import files, needs_postgres, node, photo  # noqa: F401 (node: a fixture)


# --- choosing the store at start-up ---

def test_an_unknown_store_stops_the_shop_with_a_message_naming_the_setting():
    with pytest.raises(RuntimeError, match="MEDIA_STORE must be one of local, postgresql, not 's3'"):
        create_app(type("Config", (TestConfig,), {"MEDIA_STORE": "s3"}))


def test_the_postgresql_store_is_refused_on_another_database(tmp_path):
    with pytest.raises(RuntimeError, match="MEDIA_STORE=postgresql keeps media in the PostgreSQL database, but "
                                           "DATABASE_URL is a sqlite database"):
        create_app(type("Config", (TestConfig,), {"MEDIA_STORE": "postgresql",
                                                  "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"}))


def test_the_postgresql_store_needs_a_cache_folder():
    with pytest.raises(RuntimeError, match="needs MEDIA_CACHE_DIR"):
        build_store({"MEDIA_STORE": "postgresql", "MEDIA_CACHE_DIR": "",
                     "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://x@127.0.0.1/y"})


# --- the local folder ---

def test_the_local_store_keeps_files_by_name_in_its_folder(tmp_path):
    store = LocalStore(tmp_path / "media")
    assert store.get("ab/ab12-320.webp") is None and not store.exists("ab/ab12-320.webp")
    store.put("ab/ab12-320.webp", b"one")
    store.put("decisions/cd/cd34.pdf", b"two")
    assert store.get("ab/ab12-320.webp") == b"one" and store.exists("decisions/cd/cd34.pdf")
    assert [name for name, _ in store.names()] == ["ab/ab12-320.webp", "decisions/cd/cd34.pdf"]
    assert files(tmp_path / "media") == ["ab/ab12-320.webp", "decisions/cd/cd34.pdf"]  # no temporary file left
    store.delete("ab/ab12-320.webp")
    store.delete("ab/ab12-320.webp")  # twice: nothing to do
    assert files(tmp_path / "media") == ["decisions/cd/cd34.pdf"]


@pytest.mark.parametrize("name", ["../outside.webp", "/etc/passwd", "ab/../../x.webp", "AB/x.webp", "", "ab//x.webp",
                                  "ab/x.webp\x00", "a" * 201])
def test_names_that_could_leave_the_folder_are_refused(tmp_path, name):
    store = LocalStore(tmp_path / "media")
    for operation in (lambda: store.put(name, b"x"), lambda: store.get(name), lambda: store.exists(name),
                      lambda: store.delete(name)):
        with pytest.raises(InvalidMediaName):
            operation()
    assert not (tmp_path / "outside.webp").exists() and files(tmp_path) == []


def test_with_the_local_store_a_photo_is_written_under_media_root(app, client):
    image = store_image(photo())
    db.session.commit()
    assert Path(app.config["MEDIA_ROOT"], rendition_name(image.key, 320)).is_file()
    response = client.get(f"/media/{image.key[:2]}/{image.key}-320.webp")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert db.session.scalar(select(func.count()).select_from(MediaBlob)) == 0


# --- PostgreSQL ---

@needs_postgres
def test_the_postgresql_store_keeps_blobs_and_reads_them_through_the_node_cache(node):
    app = node("a")
    with app.app_context():
        store = media_store()
        store.put("ab/ab12-320.webp", b"rendition")
        store.put("ab/ab12-320.webp", b"rendition")  # the same content again: one blob
        db.session.commit()
        assert files(app.cache_dir) == []  # writing does not fill the cache: a rolled-back write would stay there
        assert store.exists("ab/ab12-320.webp") and not store.exists("ab/other-320.webp")
        assert store.get("ab/ab12-320.webp") == b"rendition"
        assert files(app.cache_dir) == ["ab/ab12-320.webp"]
        assert [name for name, _ in store.names()] == ["ab/ab12-320.webp"]
        # The cache answers from now on: even a blob removed behind the node's back is still served from it…
        db.session.execute(text("DELETE FROM media_blob"))
        db.session.commit()
        assert store.get("ab/ab12-320.webp") == b"rendition"
        # …and a node that loses its cache folder asks the database again.
        os.remove(app.cache_dir / "ab/ab12-320.webp")
        assert store.get("ab/ab12-320.webp") is None
        store.put("cd/cd34-640.webp", b"x")
        store.delete("cd/cd34-640.webp")
        db.session.commit()
        assert store.get("cd/cd34-640.webp") is None and files(app.cache_dir) == []


@needs_postgres
def test_a_photo_stored_on_node_a_is_served_by_node_b_from_its_own_cache(node):
    node_a, node_b = node("a"), node("b")
    with node_a.app_context():
        image = store_image(photo())
        db.session.commit()
        key, widths = image.key, image.widths
    assert widths == [320, 640, 700]
    assert files(node_a.cache_dir) == [] and files(node_b.cache_dir) == []
    assert not Path(node_a.config["MEDIA_ROOT"]).exists()  # nothing on node A's disk but what it may lose
    browser = node_b.test_client()
    url = f"/media/{key[:2]}/{key}-640.webp"
    response = browser.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/webp"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    with Image.open(io.BytesIO(response.data)) as served:
        assert served.format == "WEBP" and served.size == (640, 457)
    assert files(node_b.cache_dir) == [rendition_name(key, 640)]
    assert (node_b.cache_dir / rendition_name(key, 640)).read_bytes() == response.data
    # Revalidation: the ETag is the content's name.
    again = browser.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    # Node B now answers from its cache, without the database's copy.
    with node_b.app_context():
        db.session.execute(text("UPDATE media_blob SET data = '\\x00'::bytea, size = 1 WHERE name = :n"),
                           {"n": rendition_name(key, 640)})
        db.session.commit()
    assert browser.get(url).data == response.data
    # Bad names are 404s, on either node, cache or not.
    for bad in (f"/media/{key[:2]}/{key}-123.webp", f"/media/{key[:2]}/{'0' * 40}-640.webp",
                f"/media/zz/{key}-640.webp", f"/media/{key[:2]}/{key[:39]}G-640.webp",
                "/media/ab/..%2f..%2fetc%2fpasswd-640.webp"):
        assert browser.get(bad).status_code == 404, bad
        assert node_a.test_client().get(bad).status_code == 404, bad


@needs_postgres
def test_a_product_photo_uploaded_on_node_a_shows_on_node_b(node, make_product):
    product = make_product()
    db.session.commit()
    node_a, node_b = node("a"), node("b")
    with node_a.app_context():
        add_product_photo(db.session.get(type(product), product.id), photo((200, 30, 30)), "Ảnh sản phẩm", None,
                          review=False)
        db.session.commit()
    with node_b.app_context():
        key = db.session.scalar(select(MediaImage.key).join(ProductImage).where(ProductImage.product_id == product.id))
    page = node_b.test_client().get(f"/en/products/{product.slug}").get_data(as_text=True)
    assert f"/media/{key[:2]}/{key}-320.webp" in page
    assert node_b.test_client().get(f"/media/{key[:2]}/{key}-320.webp").status_code == 200


@needs_postgres
def test_a_rolled_back_upload_leaves_no_blob_no_row_and_no_cached_file(node):
    app = node("a")
    with app.app_context():
        image = store_image(photo((10, 200, 10)))
        db.session.flush()
        assert db.session.scalar(select(func.count()).select_from(MediaBlob)) == 3  # inside the transaction
        key = image.key
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(MediaBlob)) == 0
        assert db.session.scalar(select(func.count()).select_from(MediaImage)) == 0
    assert files(app.cache_dir) == [] and not Path(app.config["MEDIA_ROOT"]).exists()
    assert node("b").test_client().get(f"/media/{key[:2]}/{key}-320.webp").status_code == 404


@needs_postgres
def test_the_office_uploads_on_node_a_and_visitors_of_node_b_see_the_photo(node, make_user, make_product):
    from storefront.accounts.models import Role

    from shared import PASSWORD

    admin = make_user(role=Role.ADMIN, email="office@ocop.example")
    product = make_product(name_vi="Quế Trà Bồng")
    db.session.commit()
    node_a, node_b = node("a"), node("b")
    office = node_a.test_client()
    office.know_device_of(admin.email)
    assert office.post("/sign-in", data={"email": admin.email, "password": PASSWORD}).status_code == 302
    response = office.post(f"/en/admin/products/{product.id}/photos",
                           data={"photo": (io.BytesIO(photo((40, 160, 90))), "que.jpg"), "alt_vi": "Quế",
                                 "alt_en": ""}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert files(node_a.cache_dir) == [] and not Path(node_a.config["MEDIA_ROOT"]).exists()
    visitor = node_b.test_client()
    page = visitor.get(f"/en/products/{product.slug}").get_data(as_text=True)
    with node_b.app_context():
        key = db.session.scalar(select(MediaImage.key))
    assert f"/media/{key[:2]}/{key}-640.webp" in page
    assert visitor.get(f"/media/{key[:2]}/{key}-640.webp").status_code == 200


@needs_postgres
def test_copy_folder_moves_a_single_machine_shops_media_into_the_database(node, tmp_path):
    folder = tmp_path / "old-media"
    LocalStore(folder).put("ab/ab12-320.webp", b"rendition")
    LocalStore(folder).put("decisions/cd/cd34.pdf", b"%PDF-1.4 decision")
    app = node("a")
    with app.app_context():
        media_store().put("ab/ab12-320.webp", b"rendition")  # already there: skipped
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["media", "copy-folder", str(folder)])
        assert result.exit_code == 0, result.output
        assert "Copied 1 files; 1 were already in the database." in result.output
        assert media_store().get("decisions/cd/cd34.pdf") == b"%PDF-1.4 decision"
    with node("b").app_context():
        assert media_store().get("ab/ab12-320.webp") == b"rendition"


def test_copy_folder_needs_the_postgresql_store(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["media", "copy-folder", str(tmp_path)])
    assert result.exit_code != 0 and "MEDIA_STORE is not postgresql" in result.output
