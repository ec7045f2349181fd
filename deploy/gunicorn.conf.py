"""gunicorn's settings for the shop: `gunicorn -c deploy/gunicorn.conf.py wsgi:app` (bench, make cluster,
production). Options given on the command line (-w, -b) take precedence.

The app is loaded once in the master (`preload_app`) and warmed there (storefront/warmup.py): each worker
is forked with its imports done, its templates compiled and its read models and first pages built, and
shares that memory with the master until it changes it.
"""
import os

worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# gunicorn's control socket has one path per user: several nodes on one machine would take it from each
# other. The shop is run by its master's signals (TERM, HUP, TTIN, TTOU), not by gunicornc.
control_socket_disable = True


def when_ready(server):
    """The master, with the app loaded, before it forks the first worker."""
    if not server.cfg.preload_app:
        return
    from storefront.warmup import warm

    warm(server.app.wsgi(), log=server.log.info)


def post_fork(server, worker):
    """A new worker never uses a connection the master opened (warm() closed them; this makes sure)."""
    if not server.cfg.preload_app:
        return
    from storefront.extensions import db

    app = server.app.wsgi()
    with app.app_context():
        db.engine.dispose(close=False)
