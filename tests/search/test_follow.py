"""Several app nodes on one PostgreSQL database, each with its own index folder: every node's search follows
the changes made on any node, through the content change log."""
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from storefront import changelog, create_app
from storefront.catalog.models import Product
from storefront.certification.models import Certificate
from storefront.clock import utcnow
from storefront.config import TestConfig
from storefront.extensions import db
from storefront.pagecache import current_version
from storefront.search import follow, index

from shared import DATABASE_URL, ON_POSTGRES

postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="nodes share a PostgreSQL database")
LAG = 2.0


def _node(tmp_path, name, **settings):
    return create_app(type(f"Node{name}", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": DATABASE_URL, "MEDIA_ROOT": str(tmp_path / "media"),
        "SEARCH_INDEX_DIR": str(tmp_path / name / "index"), "PAGE_CACHE_SIZE": 100,
        "SEARCH_FOLLOW_POLL_SECONDS": 1.0, "SEARCH_REBUILD_INLINE": False, **settings}))


@pytest.fixture
def nodes(tmp_path):
    """Nodes A and B; their followers, once started, are stopped at the end."""
    made = []

    def make(name, **settings):
        app = _node(tmp_path, name, **settings)
        made.append(app)
        return app

    yield make
    for app in made:
        found = app.extensions.get("search_follower")
        if found is not None:
            found.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def names_found(app, query) -> set[int]:
    with app.test_request_context("/search"):
        from storefront.catalog.forms import CatalogueFilters
        from storefront.search import queries

        page = queries.search(query, CatalogueFilters(per_page=100))
        ids = {card.product.id for card in page.cards}
        db.session.remove()
        return ids


class Ref:
    """A product named by its id alone, usable in any node's context."""

    def __init__(self, id_):
        self.id = id_


def wait_until(condition, seconds=LAG * 3):
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, "not within the time"
        time.sleep(0.05)
    return time.monotonic() - start


@postgres_only
def test_a_rename_on_a_is_found_on_b_within_two_seconds(nodes, make_product):
    a, b = nodes("a"), nodes("b")
    product = make_product(name_vi="Mạch nha Thi Phổ")
    db.session.commit()
    product = Ref(product.id)  # read in this app's context: the nodes have engines of their own
    follow.follower(b).start()
    with b.app_context():
        wait_until(lambda: names_found(b, "mach nha") == {product.id}, seconds=30)  # B's empty folder rebuilt
    with a.app_context():
        db.session.get(Product, product.id).name_vi = "Kẹo gương Thi Phổ"
        db.session.commit()
        db.session.remove()
    with b.app_context():
        took = wait_until(lambda: names_found(b, "keo guong") == {product.id})
        assert names_found(b, "mach nha") == set()
    assert took <= LAG


@postgres_only
def test_a_revoked_certificate_leaves_b_certified_results(nodes, make_product):
    a, b = nodes("a"), nodes("b")
    product = make_product(name_vi="Nước mắm cá cơm", name_en="Anchovy fish sauce")
    db.session.commit()
    product = Ref(product.id)
    follow.follower(b).start()
    wait_until(lambda: names_found(b, "nuoc mam") == {product.id}, seconds=30)
    with a.app_context():
        certificate = db.session.scalars(select(Certificate).where(Certificate.product_id == product.id)).one()
        certificate.revoked_at = utcnow()
        db.session.commit()
        db.session.remove()
    assert wait_until(lambda: names_found(b, "nuoc mam") == set()) <= LAG


@postgres_only
def test_b_with_an_empty_folder_rebuilds_then_follows(nodes, make_product):
    b = nodes("b")
    product = make_product(name_vi="Tỏi Lý Sơn")
    db.session.commit()
    product_id = product.id
    with b.app_context():
        assert not index.index_dir().exists()
        assert follow.step() == follow.Outcome.REBUILT
        assert index.read_position()["through"] == changelog.head(db.session.connection())[0]
        assert names_found(b, "toi ly son") == {product_id}
        assert follow.step() == follow.Outcome.CURRENT
    product.name_vi = "Tỏi đen Lý Sơn"
    db.session.commit()
    with b.app_context():
        assert follow.step() == follow.Outcome.APPLIED
        assert names_found(b, "toi den") == {product_id}


@postgres_only
def test_b_behind_a_pruned_log_or_too_many_changes_rebuilds(nodes, make_product):
    b = nodes("b", SEARCH_FOLLOW_REBUILD_AFTER=3)
    products = [make_product(name_vi=f"Bánh tráng {n}") for n in range(3)]
    db.session.commit()
    ids = [p.id for p in products]
    with b.app_context():
        assert follow.step() == follow.Outcome.REBUILT
        through = index.read_position()["through"]
    for product in products:  # B is down meanwhile
        product.name_vi = product.name_vi.replace("Bánh tráng", "Kẹo đậu phộng")
        db.session.commit()
    assert changelog.prune(timedelta(0)) >= 3
    assert changelog.prune(timedelta(0)) == 0
    with b.app_context():
        head = changelog.head(db.session.connection())
        assert head[1] > through  # pruned past B
        assert follow.step() == follow.Outcome.REBUILT
        assert names_found(b, "keo dau phong") == set(ids)
        assert follow.step() == follow.Outcome.CURRENT
    for product in products:  # four changes wait where three are allowed
        product.price += 1
        db.session.commit()
    products[0].name_vi = "Kẹo gừng"
    db.session.commit()
    db.session.remove()
    with b.app_context():
        assert follow.step() == follow.Outcome.REBUILT
        assert names_found(b, "keo gung") == {ids[0]}


@pytest.fixture
def paused_commit():
    """paused_commit(session): that session's next commit stops after writing its change row (its id
    taken, its NOTIFY sent) until release() is called."""
    gates = {}

    @event.listens_for(Session, "before_commit")
    def pause(session):
        gate = gates.get(id(session))
        if gate is not None and session.info.get("content_change_written"):
            gate[0].set()
            assert gate[1].wait(20)

    class Control:
        def __call__(self, session):
            gates[id(session)] = (threading.Event(), threading.Event())
            return self

        def reached(self, session):
            return gates[id(session)][0].wait(20)

        def release(self, session):
            gates[id(session)][1].set()

    yield Control()
    event.remove(Session, "before_commit", pause)
    for reached, release in gates.values():
        release.set()


def _rename_in_thread(app, product_id, name, pause):
    session = Session(db.engine)  # of the app whose context the caller holds
    pause(session)

    def run():
        with app.app_context():
            session.get(Product, product_id).name_vi = name
            session.commit()
            session.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert pause.reached(session), "the first transaction did not reach its commit"
    return session, thread


@postgres_only
def test_a_change_id_committed_after_a_higher_one_is_not_skipped(nodes, make_product, paused_commit):
    a, b = nodes("a"), nodes("b")
    first, second = make_product(name_vi="Quế Trà Bồng"), make_product(name_vi="Rượu Bàu Đá")
    db.session.commit()
    first, second = Ref(first.id), Ref(second.id)
    with b.app_context():
        assert follow.step() == follow.Outcome.REBUILT
    with a.app_context():
        early, thread = _rename_in_thread(a, first.id, "Mật ong rừng", paused_commit)
        # The second transaction takes the next id and commits while the first is still open.
        db.session.get(Product, second.id).name_vi = "Sâm Ngọc Linh"
        db.session.commit()
        db.session.remove()
        ids = db.session.scalars(select(changelog.ContentChange.id).order_by(changelog.ContentChange.id)).all()
        db.session.remove()
    with b.app_context():
        version = current_version()
        db.session.remove()
        assert follow.step() == follow.Outcome.APPLIED
        position = index.read_position()
        assert position["through"] == ids[-1] and list(position["gaps"]) == [ids[-1] - 1]
        assert names_found(b, "sam ngoc linh") == {second.id}
        assert names_found(b, "mat ong") == set()
    paused_commit.release(early)
    thread.join(20)
    with b.app_context():
        assert current_version() != version  # the lower id counts once it commits
        db.session.remove()
        assert follow.step() == follow.Outcome.APPLIED
        assert names_found(b, "mat ong") == {first.id}
        assert index.read_position()["gaps"] == {}


@postgres_only
def test_content_writers_do_not_wait_on_each_other_and_each_commit_changes_the_version(
        nodes, make_product, paused_commit):
    a = nodes("a")
    first, second = make_product(), make_product()
    db.session.commit()
    first, second = Ref(first.id), Ref(second.id)
    with a.app_context():
        before = current_version()
        db.session.remove()
        early, thread = _rename_in_thread(a, first.id, "Bánh ít lá gai", paused_commit)
        # A writer that waited for the first would fail here instead of waiting a second.
        db.session.execute(text("SET LOCAL lock_timeout = '1s'"))
        db.session.get(Product, second.id).name_vi = "Bánh nổ"
        db.session.commit()
        middle = current_version()
        db.session.remove()
        assert middle != before
        paused_commit.release(early)
        thread.join(20)
        assert not thread.is_alive()
        assert current_version() not in (before, middle)
        db.session.remove()


def test_a_rolled_back_change_writes_no_row_and_leaves_the_version(make_product):
    make_product()
    db.session.commit()
    before = current_version(), db.session.scalar(select(changelog.ContentChange.id).order_by(
        changelog.ContentChange.id.desc()).limit(1))
    make_product()
    db.session.rollback()
    assert (current_version(), db.session.scalar(select(changelog.ContentChange.id).order_by(
        changelog.ContentChange.id.desc()).limit(1))) == before


def test_pruning_moves_rows_out_of_the_log_without_changing_the_version(make_product):
    make_product()
    db.session.commit()
    make_product()
    db.session.commit()
    version = current_version()
    last = changelog.head(db.session.connection())[0]
    db.session.rollback()
    assert changelog.prune(timedelta(hours=1)) == 0
    assert changelog.prune(timedelta(0)) == 2
    assert current_version() == version
    assert changelog.head(db.session.connection()) == (0, last)
    db.session.rollback()
    make_product()
    db.session.commit()
    assert current_version() == version + 1
