"""Helpers the templates call: asset and image URLs, query-string edits, the demo notice."""
import hashlib
import re
from functools import cache
from pathlib import Path

from flask import current_app, has_request_context, request, url_for
from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup
from sqlalchemy import exists, select
from werkzeug.datastructures import MultiDict

from . import labels
from .demo.models import DemoDataset
from .extensions import db
from .i18n import current_lang, url_with_query
from .pagecache import derived
from .phone import phone_for_the_world, tel_href
from .public_urls import absolute_url


# Built URLs kept per process: a page builds about forty (menus, footer, assets, cards), and building one
# through Flask and werkzeug's routing costs more than looking it up.
URL_CACHE_SIZE = 50_000


def cached_url_for(endpoint: str, **values) -> str:
    """url_for for the templates, remembered per endpoint, language and values. A URL in a request depends
    only on those and the app's root path; external URLs, anchors and unhashable values are built anew."""
    if not has_request_context() or endpoint.startswith(".") or any(name.startswith("_") for name in values):
        return url_for(endpoint, **values)
    key = (endpoint, current_lang(), request.root_path, *sorted(values.items()))
    urls = current_app.extensions["url_cache"]
    try:
        return urls[key]
    except KeyError:
        pass
    except TypeError:  # a value that cannot be a key
        return url_for(endpoint, **values)
    url = url_for(endpoint, **values)
    if len(urls) >= URL_CACHE_SIZE:
        urls.clear()
    urls[key] = url
    return url


def asset_url(filename: str) -> str:
    """A static file's URL with its content hash, so it can be cached for a year."""
    return cached_url_for("static", filename=filename, v=_asset_hash(current_app.static_folder, filename))


@cache
def _asset_hash(folder: str, filename: str) -> str:
    return hashlib.sha256((Path(folder) / filename).read_bytes()).hexdigest()[:12]


def rendition_url(image, width: int) -> str:
    return cached_url_for("media.rendition", prefix=image.key[:2], key=image.key, width=width)


def srcset(image) -> str:
    return ", ".join(f"{rendition_url(image, w)} {w}w" for w in image.widths)


def default_rendition(image, wanted: int = 640) -> int:
    fitting = [w for w in image.widths if w <= wanted]
    return fitting[-1] if fitting else image.widths[0]


def query_with(**changes) -> str:
    """This page's URL with some query parameters replaced (None removes one); lists repeat a key."""
    args = MultiDict(request.args)
    for name, value in changes.items():
        args.setlist(name, [] if value is None else value if isinstance(value, list) else [value])
    return url_with_query(request.endpoint, request.view_args or {}, args)


def query_without(name: str, value) -> str:
    """This page's URL with one value of a repeated filter removed, back on page 1."""
    remaining = [v for v in request.args.getlist(name) if v != str(value)]
    return query_with(**{name: remaining, "page": None})


def format_paragraphs(text: str) -> Markup:
    """Plain text typed by people (blank lines between paragraphs) as escaped HTML paragraphs."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text or "") if part.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(part) for part in paragraphs)


def demo_loaded() -> bool:
    # Kept with the read models: the notice is on every page, and loading the demo changes the content.
    return derived("demo_loaded", lambda: bool(db.session.scalar(select(exists().where(DemoDataset.id.isnot(None))))))


def init_app(app) -> None:
    from .catalog.cards import card_html

    # Compiled templates kept on disk (instance/jinja, keyed by each template's source), so a new worker
    # renders its first pages without compiling every template again.
    cache_dir = Path(app.instance_path) / "jinja"
    try:
        cache_dir.mkdir(exist_ok=True)
        app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(cache_dir))
    except OSError:
        pass  # a read-only instance folder: templates are compiled in memory, as before

    app.extensions["url_cache"] = {}
    app.jinja_env.globals.update(
        url_for=cached_url_for, card_html=card_html,
        asset_url=asset_url, absolute_url=absolute_url, rendition_url=rendition_url, srcset=srcset,
        default_rendition=default_rendition, query_with=query_with, query_without=query_without,
        demo_loaded=demo_loaded, **labels.template_globals())
    app.jinja_env.filters["format_paragraphs"] = format_paragraphs
    app.jinja_env.filters["tel_href"] = tel_href
    app.jinja_env.filters["phone_for_the_world"] = phone_for_the_world
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
