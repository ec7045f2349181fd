"""`flask media prune` removes only what nothing uses, and nothing stored within its grace period, from
the local folder and from PostgreSQL alike."""
import contextlib
import os
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from storefront.catalog.models import EditStatus, ListingEdit, ProductImage
from storefront.certification.operations import decision_pdf_name
from storefront.clock import utcnow
from storefront.extensions import db
from storefront.locator.models import SalesPointPhoto
from storefront.media.models import MediaBlob, MediaImage
from storefront.media.operations import prune
from storefront.media.pipeline import rendition_name, store_image
from storefront.media.storage import LocalStore, media_store

from media_nodes import files, needs_postgres, node, photo  # noqa: F401 (node: a fixture)

@pytest.fixture(params=["local", pytest.param("postgresql", marks=needs_postgres)])
def store_context(request, app, node, tmp_path, monkeypatch):
    """Where the test's media go: the test app with a local folder of its own, or a PostgreSQL node."""
    if request.param == "local":
        monkeypatch.setitem(app.extensions, "media_store", LocalStore(tmp_path / "media"))
        yield request.param, contextlib.nullcontext, app
    else:
        node_app = node("a")
        yield request.param, node_app.app_context, node_app


def age(kind: str, names: list[str], root: Path | None, days=2) -> None:
    """Make the stored files `names` look written `days` ago."""
    moment = utcnow() - timedelta(days=days)
    if kind == "postgresql":
        db.session.execute(update(MediaBlob).where(MediaBlob.name.in_(names)).values(stored_at=moment))
    else:
        stamp = time.time() - days * 86400
        for name in names:
            os.utime(root / name, (stamp, stamp))


def stored_names() -> list[str]:
    return [name for name, _ in media_store().names()]


MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
               b"xref\n0 3\n0000000000 65535 f \ntrailer<</Size 3/Root 1 0 R>>\nstartxref\n100\n%%EOF\n")


def test_prune_removes_only_the_orphans_older_than_the_grace_period(
        store_context, make_product, make_producer, make_sales_point, make_certificate):
    kind, context, app = store_context
    with context():
        root = media_store().root if kind == "local" else None
        product = make_product()
        shown, logo, point_photo, decision, proposed, old_orphan, new_orphan = (
            store_image(photo((n * 30, 40, 90))) for n in range(7))
        db.session.flush()
        product.images.append(ProductImage(image=shown, position=0, alt_vi="Ảnh"))
        make_producer().logo = logo
        point = make_sales_point()
        db.session.add(SalesPointPhoto(sales_point=point, image=point_photo, position=0, alt_vi="Cửa hàng"))
        certificate = make_certificate(make_product(stars=None))
        certificate.decision_image = decision
        # A pending edit's proposed photo is held only by JSON.
        db.session.add(ListingEdit(product=product, status=EditStatus.PENDING, text={},
                                   photos=[{"image_id": proposed.id, "alt_vi": "Mới", "alt_en": None}], before={}))
        # A scanned decision kept as a PDF, and one no certificate names any more.
        pdf_certificate = make_certificate(make_product(stars=None))
        pdf_certificate.decision_pdf_key = "ab" * 20
        media_store().put(decision_pdf_name("ab" * 20), MINIMAL_PDF)
        media_store().put(decision_pdf_name("cd" * 20), MINIMAL_PDF)
        # A rendition of a kept image at a width the image does not have (IMAGE_WIDTHS changed).
        media_store().put(rendition_name(shown.key, 1200), b"stale width")
        db.session.commit()
        old = [image for image in (shown, logo, point_photo, decision, proposed, old_orphan)]
        db.session.execute(update(MediaImage).where(MediaImage.id.in_([i.id for i in old]))
                           .values(created_at=utcnow() - timedelta(days=2)))
        age(kind, [name for name in stored_names() if not name.startswith(new_orphan.key[:2] + "/" + new_orphan.key)],
            root)
        db.session.commit()
        orphan_files = sorted([rendition_name(old_orphan.key, w) for w in old_orphan.widths]
                              + [decision_pdf_name("cd" * 20), rendition_name(shown.key, 1200)])
        before = stored_names()
        old_orphan_key, new_orphan_key = old_orphan.key, new_orphan.key

        result = app.test_cli_runner().invoke(args=["media", "prune", "--dry-run"])
        assert result.exit_code == 0, result.output
        assert f"Would remove image {old_orphan_key}" in result.output
        assert "Would remove 1 images and 5 files" in result.output
        db.session.expire_all()
        assert stored_names() == before and db.session.scalar(select(func.count(MediaImage.id))) == 7

        result = app.test_cli_runner().invoke(args=["media", "prune"])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == (
            [f"Removed image {old_orphan_key}"] + [f"Removed file {name}" for name in orphan_files]
            + ["Removed 1 images and 5 files (nothing stored in the last 24 hours was considered)."])
        db.session.expire_all()
        assert sorted(db.session.scalars(select(MediaImage.key))) == sorted(
            image.key for image in (shown, logo, point_photo, decision, proposed, new_orphan))
        assert stored_names() == sorted(set(before) - set(orphan_files))
        assert new_orphan_key != old_orphan_key
        browser = app.test_client()
        assert browser.get(f"/media/{old_orphan_key[:2]}/{old_orphan_key}-320.webp").status_code == 404
        assert browser.get(f"/media/{shown.key[:2]}/{shown.key}-320.webp").status_code == 200
        assert browser.get(f"/media/{new_orphan_key[:2]}/{new_orphan_key}-320.webp").status_code == 200

        # Nothing left to remove: a second run says so.
        result = app.test_cli_runner().invoke(args=["media", "prune"])
        assert result.output.strip() == "Removed 0 images and 0 files (nothing stored in the last 24 hours was considered)."
        # With no grace period the recent orphan goes too.
        assert prune(timedelta(0)).images == [new_orphan_key]


def test_a_file_written_again_during_the_prune_is_kept(store_context):
    """The same photo uploaded anew writes its files again: a prune that listed them as old leaves them."""
    kind, context, app = store_context
    with context():
        image = store_image(photo())
        db.session.commit()
        names = [rendition_name(image.key, width) for width in image.widths]
        db.session.delete(image)  # its row goes (a pending upload that will recreate it has not committed)
        db.session.commit()
        age(kind, names, getattr(media_store(), "root", None))
        db.session.commit()
        media_store().put(names[0], b"written again")  # an upload writes it in the meantime
        db.session.commit()
        report = prune(timedelta(hours=24))
        assert report.files == names[1:]
        assert stored_names() == names[:1]


@needs_postgres
def test_an_upload_reusing_an_old_orphan_holds_it_against_a_concurrent_prune(node):
    """An upload of a photo already stored (an orphan) locks its row until it commits: the prune skips it."""
    node_a, node_b = node("a"), node("b")
    with node_a.app_context():
        image = store_image(photo((5, 5, 5)))
        db.session.commit()
        key = image.key
        db.session.execute(update(MediaImage).values(created_at=utcnow() - timedelta(days=2)))
        db.session.execute(update(MediaBlob).values(stored_at=utcnow() - timedelta(days=2)))
        db.session.commit()
    uploading, pruned = threading.Event(), threading.Event()
    reports = []

    def upload_on_a():
        with node_a.app_context():
            again = store_image(photo((5, 5, 5)))  # found by its hash: the existing row, locked
            db.session.flush()
            uploading.set()
            assert pruned.wait(30)
            db.session.commit()
            return again.key

    def prune_on_b():
        assert uploading.wait(30)
        with node_b.app_context():
            reports.append(prune(timedelta(hours=24)))
        pruned.set()

    threads = [threading.Thread(target=upload_on_a), threading.Thread(target=prune_on_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)
    assert reports and reports[0].images == []
    with node_b.app_context():
        assert db.session.scalar(select(MediaImage.key)) == key
        assert node_b.test_client().get(f"/media/{key[:2]}/{key}-320.webp").status_code == 200


@needs_postgres
def test_the_pruning_node_drops_its_cached_copies_and_other_nodes_clean_theirs(node):
    node_a, node_b = node("a"), node("b")
    with node_a.app_context():
        image = store_image(photo((1, 2, 3)))
        db.session.commit()
        key = image.key
    url = f"/media/{key[:2]}/{key}-320.webp"
    for app in (node_a, node_b):
        assert app.test_client().get(url).status_code == 200
        assert rendition_name(key, 320) in files(app.cache_dir)
    with node_a.app_context():
        db.session.execute(update(MediaImage).values(created_at=utcnow() - timedelta(days=2)))
        db.session.execute(update(MediaBlob).values(stored_at=utcnow() - timedelta(days=2)))
        db.session.commit()
        assert prune(timedelta(hours=24)).images == [key]
    assert files(node_a.cache_dir) == []
    assert node_a.test_client().get(url).status_code == 404
    with node_b.app_context():  # the command runs on node B
        result = node_b.test_cli_runner().invoke(args=["media", "clean-cache"])
    assert result.exit_code == 0 and f"Removed cached {rendition_name(key, 320)}" in result.output
    assert files(node_b.cache_dir) == [] and node_b.test_client().get(url).status_code == 404
