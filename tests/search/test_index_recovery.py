"""A missing or damaged index never reaches the shopper: searches answer, and the index is rebuilt."""
import os
import threading
import time
from pathlib import Path

import pytest
from whoosh.query import Term

from storefront.extensions import db
from storefront.search import index


@pytest.fixture
def catalogue(make_product, make_producer):
    """Three listed products: two found by name, one only by its producer or English name."""
    producer = make_producer(name="HTX Nông nghiệp Hòa Bình")
    products = {
        "fish_sauce": make_product(name_vi="Nước mắm cá cơm", name_en="Anchovy fish sauce"),
        "malt": make_product(name_vi="Mạch nha Thi Phổ", name_en="Thi Phổ malt syrup"),
        "rice": make_product(name_vi="Gạo lứt đỏ", name_en="Red brown rice", producer=producer),
    }
    db.session.commit()
    index.rebuild()
    return {key: product.id for key, product in products.items()} | {
        f"{key}_link": f'href="/products/{product.slug}"' for key, product in products.items()}


@pytest.fixture
def background_rebuilds(app, monkeypatch):
    """Rebuilds run in the background (as in production); each waits for `release()` so that the test
    decides when it runs, and `wait()` returns once it has finished."""
    monkeypatch.setitem(app.config, "SEARCH_REBUILD_INLINE", False)
    gate, started = threading.Event(), []
    real_rebuild = index.rebuild

    def gated_rebuild(progress=None):
        started.append(threading.current_thread().name)
        assert gate.wait(10), "the test never released the rebuild"
        return real_rebuild(progress)

    monkeypatch.setattr(index, "rebuild", gated_rebuild)

    class Control:
        def release(self):
            gate.set()

        def wait(self):
            deadline = time.monotonic() + 15
            while not started or index._background_lock.locked():
                assert time.monotonic() < deadline, "the background rebuild did not finish"
                time.sleep(0.02)
            return started

    yield Control()
    gate.set()
    deadline = time.monotonic() + 15
    while index._background_lock.locked() and time.monotonic() < deadline:
        time.sleep(0.02)


def index_files() -> list[Path]:
    return sorted(path for path in index.index_dir().iterdir() if path.is_file())


def test_a_missing_index_answers_by_names_while_it_is_rebuilt_in_the_background(
        app, client, find, catalogue, background_rebuilds):
    index.reset()
    found = find("nuoc mam")
    assert found.degraded
    assert found.ids == [catalogue["fish_sauce"]]
    assert find("mach n").ids == [catalogue["malt"]]  # the last word typed is a prefix there too
    assert find("hoa binh").ids == []  # names only: the producer is not searched meanwhile
    html = client.get("/en/search?q=nuoc+mam").get_data(as_text=True)
    assert "these results match product names only" in html
    assert catalogue["fish_sauce_link"].replace("/products", "/en/products") in html

    background_rebuilds.release()
    assert background_rebuilds.wait() == ["search-index-rebuild"]  # one rebuild for all these searches
    found = find("hoa binh")
    assert not found.degraded
    assert found.ids == [catalogue["rice"]]
    assert find("fish sauce").ids == [catalogue["fish_sauce"]]
    assert "names only" not in client.get("/en/search?q=nuoc+mam").get_data(as_text=True)


def test_a_missing_index_is_rebuilt_inline_when_configured_so(app, find, catalogue):
    assert app.config["SEARCH_REBUILD_INLINE"]
    index.reset()
    found = find("hoa binh")
    assert not found.degraded
    assert found.ids == [catalogue["rice"]]
    assert index.open_index().doc_count() == 3


def _truncate_everything(folder: Path):
    for path in index_files():
        path.write_bytes(b"")


def _scribble_on_everything(folder: Path):
    for path in index_files():
        path.write_bytes(os.urandom(64) + b"not a whoosh file" * 10)


def _empty_the_table_of_contents(folder: Path):
    for path in folder.glob("*.toc"):
        path.write_bytes(b"")


def _scribble_on_the_segments(folder: Path):
    for path in folder.glob("*.seg"):
        size = path.stat().st_size
        path.write_bytes(b"\x00" * size)


def _cut_the_segments_in_half(folder: Path):
    for path in folder.glob("*.seg"):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])


def _lose_the_segments(folder: Path):
    for path in folder.glob("*.seg"):
        path.unlink()


def _replace_the_folder_by_a_file(folder: Path):
    for path in index_files():
        path.unlink()
    folder.rmdir()
    folder.write_text("not an index")


# Whoosh leaves the file it was reading open when a damaged table of contents or segment makes it fail: the
# file is closed when the failed search's exception is dropped, with a ResourceWarning (see the report).
whoosh_leaks_the_damaged_file = pytest.mark.filterwarnings("ignore:unclosed file:ResourceWarning")

DAMAGES = [_truncate_everything, _scribble_on_everything, _empty_the_table_of_contents, _scribble_on_the_segments,
           _cut_the_segments_in_half, _lose_the_segments, _replace_the_folder_by_a_file]


@whoosh_leaks_the_damaged_file
@pytest.mark.parametrize("damage", DAMAGES, ids=lambda damage: damage.__name__.strip("_"))
def test_a_damaged_index_never_reaches_the_shopper_and_is_rebuilt_inline(app, client, find, catalogue, damage):
    damage(index.index_dir())
    response = client.get("/search?q=hoa+binh")
    assert response.status_code == 200
    assert catalogue["rice_link"] in response.get_data(as_text=True)
    found = find("hoa binh")  # the rebuild restored the full search: the producer is searched again
    assert (found.degraded, found.ids) == (False, [catalogue["rice"]])
    assert index.open_index().doc_count() == 3


@whoosh_leaks_the_damaged_file
@pytest.mark.parametrize("damage", DAMAGES, ids=lambda damage: damage.__name__.strip("_"))
def test_a_damaged_index_answers_by_names_until_the_background_rebuild(
        app, client, find, catalogue, background_rebuilds, damage):
    damage(index.index_dir())
    response = client.get("/search?q=nuoc+mam")
    assert response.status_code == 200
    assert catalogue["fish_sauce_link"] in response.get_data(as_text=True)
    assert find("mach nha").ids == [catalogue["malt"]]
    suggest = client.get("/api/v1/search/suggest?q=mach+nh&lang=vi")
    assert suggest.status_code == 200
    assert [item["name"] for item in suggest.get_json()["suggestions"]] == ["Mạch nha Thi Phổ"]

    background_rebuilds.release()
    background_rebuilds.wait()
    found = find("fish sauce")
    assert (found.degraded, found.ids) == (False, [catalogue["fish_sauce"]])


@whoosh_leaks_the_damaged_file
def test_a_commit_while_the_index_is_damaged_stands_and_is_indexed_by_the_rebuild(
        app, find, catalogue, make_product):
    _scribble_on_everything(index.index_dir())
    product = make_product(name_vi="Hoa muối Sa Huỳnh")
    db.session.commit()  # the index update fails quietly; the commit stands
    assert db.session.get(type(product), product.id) is not None
    assert find("hoa muoi").ids == [product.id]  # the search rebuilt the index from the database


def test_the_rebuild_command_shows_its_progress_and_count(app, catalogue, make_product):
    for n in range(4):
        make_product(name_vi=f"Bánh tráng {n}", is_published=n % 2 == 0)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Indexing products" in result.output
    assert "Indexed 7 products." in result.output
    assert index.open_index().doc_count() == 7


def test_the_rebuild_reports_progress_in_batches_that_add_up_to_the_count(app, catalogue, monkeypatch):
    monkeypatch.setattr(index, "BATCH", 2)
    steps = []
    assert index.rebuild(progress=steps.append) == 3
    assert steps == [2, 1]


def test_the_rebuild_command_refuses_while_another_rebuild_runs(app, catalogue):
    marker = index.index_dir().with_name(index.index_dir().name + ".rebuilding")
    marker.touch()
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code != 0
    assert "Another rebuild is running" in result.output
    assert marker.exists()

    an_hour_ago = time.time() - 3700  # left by a rebuild that died
    os.utime(marker, (an_hour_ago, an_hour_ago))
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Indexed 3 products." in result.output
    assert not marker.exists()


def test_a_rebuild_keeps_the_live_index_answering(app, find, catalogue, monkeypatch):
    """Searches made while a rebuild reads the database still use the old index, fully."""
    seen = []
    real_documents = index._documents

    def documents(product_ids=None):
        if product_ids is None:
            seen.append(find("hoa binh"))
        yield from real_documents(product_ids)

    monkeypatch.setattr(index, "_documents", documents)
    assert index.rebuild() == 3
    assert [(f.degraded, f.ids) for f in seen] == [(False, [catalogue["rice"]])]
    assert not list(index.index_dir().parent.glob(index.index_dir().name + ".new-*"))
    assert not list(index.index_dir().parent.glob(index.index_dir().name + ".old-*"))


def _index_answers() -> bool:
    try:
        with index.open_index().searcher() as searcher:
            searcher.search(Term("name", "nuoc"))
        return True
    except Exception:
        return False


@whoosh_leaks_the_damaged_file
@pytest.mark.parametrize("damage", DAMAGES, ids=lambda damage: damage.__name__.strip("_"))
def test_the_suggestions_answer_from_a_damaged_index_and_have_it_rebuilt(app, client, catalogue, damage):
    damage(index.index_dir())
    response = client.get("/api/v1/search/suggest?q=mach+nh&lang=vi")
    assert response.status_code == 200
    assert [item["name"] for item in response.get_json()["suggestions"]] == ["Mạch nha Thi Phổ"]
    assert _index_answers()


def test_a_page_answered_by_names_is_not_served_from_the_cache_once_the_index_is_back(
        app, client, catalogue, background_rebuilds, monkeypatch):
    cache = app.extensions["page_cache"]
    monkeypatch.setattr(cache, "size", 100)
    monkeypatch.setattr(cache, "version_ttl", 3600.0)
    index.reset()
    assert "names only" in client.get("/en/search?q=nuoc+mam").get_data(as_text=True)
    assert "names only" in client.get("/en/search?q=nuoc+mam").get_data(as_text=True)  # cached meanwhile
    background_rebuilds.release()
    background_rebuilds.wait()
    page = client.get("/en/search?q=nuoc+mam").get_data(as_text=True)
    assert "names only" not in page
    assert catalogue["fish_sauce_link"].replace("/products", "/en/products") in page


def test_a_commit_of_the_index_that_fails_leaves_it_unlocked(app, find, catalogue, make_product, monkeypatch):
    """Whoosh keeps its write lock when a commit fails (a full disk): every later write in the worker would
    wait for it, then fail."""
    from whoosh.writing import SegmentWriter

    real_commit = SegmentWriter.commit

    def full_disk(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(SegmentWriter, "commit", full_disk)
    with pytest.raises(OSError):
        index.update_products([catalogue["malt"]])
    monkeypatch.setattr(SegmentWriter, "commit", real_commit)
    monkeypatch.setattr(index, "WRITE_TIMEOUT_SECONDS", 0.0)  # a lock still held fails at once
    product = make_product(name_vi="Hoa muối Sa Huỳnh")
    db.session.commit()
    assert find("hoa muoi").ids == [product.id]
