"""HTTP caching of public pages for a shared reverse proxy (nginx in front of several app nodes).

The pages the per-worker page cache keeps (`pagecache.cached_page`, and the locator's pages, marked with
`shared_page`) are the same for every visitor that cache deems anonymous. For such a visitor they are
sent with a validator and a short lifetime for shared caches:

    ETag: W/"<digest of release, content version, today, language, URL, the page's own key>"
    Cache-Control: public, max-age=0, s-maxage=<HTTP_SHARED_MAX_AGE>
    Vary: Cookie

and a request whose `If-None-Match` names the current validator is answered 304 before the view runs,
so a proxy revalidating a page every second costs a node a version check, not a render.

The validator is made of what the page cache keys pages by: the content version (read through the page
cache, so a page is never labelled with a version newer than the one it was rendered from), today's date
(certification is derived by day), the language; plus the release (code, templates and translations),
so a deployment changes every validator. A page may add its own part (the locator: the next moment a
place opens or closes).

Everything else a public page's view answers for a visitor the page cache would not share (signed in,
a cart, a message to show, a page carrying a form token, a session the request changed) is
`private, no-store`: no proxy keeps it, whichever node it came from.
"""
import hashlib
from pathlib import Path

from flask import current_app, g, request, session

from . import pagecache
from .clock import today
from .i18n import current_lang

ROOT = Path(__file__).resolve().parent.parent
# What a page's HTML is made from, besides the database: a change to any of these is a new release.
RELEASE_SOURCES = (("storefront", "*.py"), ("storefront/translations", "*.mo"), ("templates", "*"),
                   ("static", "*"))
PRIVATE = "private, no-store"

# Every view wrapped by pagecache.cached_page runs this one function's code.
_CACHED_PAGE_CODE = pagecache.cached_page(lambda: None).__code__


def shared_page(view=None, *, key=None):
    """Marks `view` as a public page for shared caches (views wrapped by cached_page need no mark).
    `key`, when given, returns a tuple of what else the page's content depends on (repr-stable), or None
    when this request's page is for no one else (it is then private)."""
    if view is None:
        return lambda function: shared_page(function, key=key)
    view.http_cache_key = key or _no_key
    return view


def _no_key() -> tuple:
    return ()


def _shared_key(view):
    """The page's own part of the validator (a function), or None for a view no shared cache may keep."""
    key = getattr(view, "http_cache_key", None)
    if key is not None:
        return key
    if getattr(view, "__code__", None) is _CACHED_PAGE_CODE:
        return _no_key
    return None


def release_fingerprint(root: Path = ROOT) -> str:
    """A digest of the code, templates, translations and static files this process serves."""
    digest = hashlib.sha256()
    for folder, pattern in RELEASE_SOURCES:
        base = root / folder
        for path in sorted(base.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _release() -> str:
    state = current_app.extensions["http_cache"]
    if state["release"] is None:
        state["release"] = current_app.config.get("RELEASE") or release_fingerprint()
    return state["release"]


def _visitor_is_anonymous() -> bool:
    # The page cache's own decision, plus the "keep me signed in" cookie: a visitor who brings only that
    # cookie is signed in by this very request.
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return pagecache._cacheable_request() and remember not in request.cookies


def etag_for(key) -> str | None:
    own = key()
    if own is None:
        return None
    version = current_app.extensions["page_cache"].version()
    parts = (_release(), version, today().isoformat(), current_lang(), request.full_path, *own)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def _answer_not_modified():
    """A revalidation of a public page that has not changed: 304, without running the view."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    key = _shared_key(view) if view is not None else None
    if key is None or not _visitor_is_anonymous():
        return None
    g.http_etag = etag_for(key)
    if g.http_etag is not None and request.if_none_match and request.if_none_match.contains_weak(g.http_etag):
        response = current_app.response_class(status=304)
        _label_shared(response)
        return response
    return None


def _label_shared(response) -> None:
    response.set_etag(g.http_etag, weak=True)
    response.headers["Cache-Control"] = (
        f"public, max-age=0, s-maxage={current_app.config['HTTP_SHARED_MAX_AGE']}")
    response.vary.add("Cookie")


def _label(response):
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if view is None or _shared_key(view) is None or response.status_code == 304:
        return response
    # A page that drew a form token, changed the session or sets a cookie was made for this visitor alone.
    personal = (g.get("csrf_token") is not None or session.modified or "Set-Cookie" in response.headers)
    if g.get("http_etag") is not None and not personal:
        if response.status_code == 200:
            _label_shared(response)
        return response
    response.headers["Cache-Control"] = PRIVATE
    response.headers.pop("ETag", None)
    return response


def init_app(app) -> None:
    """After the blueprints: labels the public pages' answers, and answers their revalidations."""
    app.config.setdefault("HTTP_SHARED_MAX_AGE", 1)
    app.extensions["http_cache"] = {"release": None}
    app.before_request(_answer_not_modified)
    app.after_request(_label)
