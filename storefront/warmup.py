"""A worker that starts with its pages ready: the app is loaded and warmed once in gunicorn's master
(`preload_app`, deploy/gunicorn.conf.py), and every worker forked from it shares what was built.

Warming renders the home page, the catalogue and the first listed product's and producer's pages in both
languages, as a visitor's requests would. That imports what the views import lazily, compiles their
templates for each language, and builds the read models (today's listing, the cards, the former
districts, the locator's data) and the page cache. A worker forked afterwards answers its first catalogue
page from them, after one check of the content version, instead of spending a second and a half on
imports, compilation and queries. Nothing of it can be stale: every read model and page is keyed by the
content version and the day, which the worker checks as any worker does.

No database connection and no thread crosses the fork: the search follower is not started while warming
(each worker starts its own at its first request), and the connection pool is emptied afterwards.
"""
import gc
import time
from contextlib import contextmanager

from sqlalchemy import select

from .extensions import db
from .i18n import DEFAULT_LANG
from .translated_templates import LANGUAGES

WARMING = "warming_up"


@contextmanager
def warming(app):
    app.extensions[WARMING] = True
    try:
        yield
    finally:
        app.extensions.pop(WARMING, None)


def is_warming(app) -> bool:
    return bool(app.extensions.get(WARMING))


def warm_paths(app) -> list[str]:
    """The home page, the catalogue, and the first listed product's and producer's pages, in each language."""
    from .catalog.models import Producer, Product
    from .catalog.queries import current_listing

    with app.app_context():
        try:
            rows = current_listing().rows
            first = db.session.execute(select(Product.slug, Producer.slug).join(Product.producer)
                                       .where(Product.id == rows[0].id)).first() if rows else None
        finally:
            db.session.remove()
    pages = ["/", "/products"]
    if first is not None:
        pages += [f"/products/{first[0]}", f"/producers/{first[1]}"]
    return [(f"/{lang}" if lang != DEFAULT_LANG else "") + page for lang in LANGUAGES for page in pages]


def warm(app, log=print) -> None:
    """Render the warm-up pages (failures are logged, never raised: a cold worker still works), then
    leave no connection open and move what was built out of the garbage collector's way."""
    started = time.perf_counter()
    answered = []
    with warming(app):
        try:
            client = app.test_client()
            for path in warm_paths(app):
                answered.append(f"{path} {client.get(path).status_code}")
        except Exception as error:  # the database may be down at start: the workers warm themselves
            log(f"warm-up stopped: {error!r}")
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    # Objects built before the fork stay in the permanent generation: collections in the workers do not
    # touch them, so their memory stays shared with the master.
    gc.collect()
    gc.freeze()
    log(f"warmed in {time.perf_counter() - started:.2f} s: {', '.join(answered)}")
