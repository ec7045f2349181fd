"""Rendered public pages, kept per worker process until the public content changes.

A page is stored under (content version, today's date, URL). The content version is the number of rows
ever committed to the content change log (changelog.py), which every transaction that changes a watched
model writes one row to: writers never wait on each other for it, and a rolled-back change writes no
row. A worker reads the version again after its own commits that changed content, and otherwise at most
once every PAGE_CACHE_VERSION_TTL seconds: a change made through another worker or node shows within
that time, and a cached page costs no database round trip. Today's date is in the key because
certification is derived from dates: a certificate that expires overnight changes the pages with no
write at all. A page may depend on something of this node besides the database (the search index):
`cached_page(depends_on=...)` adds it to the page's key.
"""
import threading
import time
from collections import OrderedDict
from functools import wraps

from flask import current_app, g, request, session
from sqlalchemy import event
from sqlalchemy.orm import Session

from . import changelog
from .clock import today
from .extensions import db

_watched: tuple[type, ...] = ()
# Counts this process's commits that changed watched content: a cache that saw another count rereads.
_local_change_count = 0


def watch(*models: type) -> None:
    """Changes to these models (in any request, command or job) invalidate every cached page."""
    global _watched
    _watched = tuple(dict.fromkeys(_watched + models))


@event.listens_for(Session, "after_flush")
def _note_content_change(session, _flush_context):
    if not _watched or session.info.get(changelog.CHANGED):
        return
    if any(isinstance(obj, _watched) for obj in (*session.new, *session.dirty, *session.deleted)):
        changelog.note_content(session)


def note_content_changed() -> None:
    """This process changed what public pages show: its caches reread the version at once."""
    global _local_change_count
    _local_change_count += 1


changelog.on_committed(lambda _product_ids: note_content_changed())


def current_version() -> int:
    return db.session.scalar(changelog.version_statement()) or 0


class PageCache:
    def __init__(self, size: int, version_ttl: float = 1.0):
        self.size = size
        self.version_ttl = version_ttl
        self._pages: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._version = None
        self._version_read_at = 0.0
        self._version_change_count = -1
        self._derived: dict[str, tuple] = {}

    def version(self) -> int:
        """The content version, read from the database only when it may have changed."""
        now = time.monotonic()
        if (self._version is None or now - self._version_read_at >= self.version_ttl
                or self._version_change_count != _local_change_count):
            self._version_change_count = _local_change_count
            self._version = current_version()
            self._version_read_at = now
        return self._version

    def derived(self, name: str, build):
        """A value computed from the public content (a read model), rebuilt when the content or the day
        changes; whatever the page cache's size, so callers may rely on it."""
        key = (self.version(), today())
        known = self._derived.get(name)
        if known is not None and known[0] == key:
            return known[1]
        value = build()
        self._derived[name] = (key, value)
        return value

    def get(self, key):
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key, page) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._derived.clear()
            self._version = None


def init_app(app) -> None:
    ttl = app.config["PAGE_CACHE_VERSION_TTL"]
    app.extensions["page_cache"] = PageCache(app.config["PAGE_CACHE_SIZE"], ttl)
    # Answers to half-typed queries are many and short-lived: kept apart, they never push pages out.
    app.extensions["suggestion_cache"] = PageCache(app.config["SUGGESTION_CACHE_SIZE"], ttl)


# Stands in a stored page for the CSRF token of whoever rendered it; each visitor gets their own.
CSRF_PLACEHOLDER = b"\x00csrf-token\x00"
_ANONYMOUS_SESSION_KEYS = {"csrf_token"}


def _cacheable_request() -> bool:
    # A visitor whose session holds more than a form token (signed in, a cart, a message to show)
    # may see a page made for them alone.
    if request.method != "GET":
        return False
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return True
    return set(session.keys()) <= _ANONYMOUS_SESSION_KEYS


def _without_csrf_token(body: bytes) -> bytes:
    token = g.get("csrf_token")
    return body.replace(token.encode(), CSRF_PLACEHOLDER) if token else body


def _with_csrf_token(body: bytes) -> bytes:
    if CSRF_PLACEHOLDER not in body:
        return body
    from flask_wtf.csrf import generate_csrf

    return body.replace(CSRF_PLACEHOLDER, generate_csrf().encode())


def derived(name: str, build):
    return current_app.extensions["page_cache"].derived(name, build)


def cached_page(view=None, *, store: str = "page_cache", depends_on=None):
    """Serve a public, visitor-independent GET page from the cache; store it when it is a 200.
    `depends_on()`, when given, names what else of this node the page shows (read before rendering)."""
    if view is None:
        return lambda function: cached_page(function, store=store, depends_on=depends_on)

    @wraps(view)
    def wrapper(*args, **kwargs):
        cache: PageCache = current_app.extensions[store]
        if cache.size <= 0 or not _cacheable_request():
            return view(*args, **kwargs)
        key = (cache.version(), today(), request.full_path, depends_on() if depends_on else None)
        page = cache.get(key)
        if page is None:
            response = current_app.make_response(view(*args, **kwargs))
            if response.status_code != 200 or response.direct_passthrough:
                return response
            page = (_without_csrf_token(response.get_data()), response.mimetype, dict(response.headers))
            cache.put(key, page)
        body, mimetype, headers = page
        response = current_app.response_class(_with_csrf_token(body), mimetype=mimetype)
        response.headers.update({k: v for k, v in headers.items() if k != "Content-Length"})
        return response

    return wrapper
