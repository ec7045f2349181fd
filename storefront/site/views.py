"""Site-wide pages: home, health, robots, sitemap, and the error pages."""
from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sqlalchemy_exc
from sqlalchemy import text
from werkzeug.exceptions import HTTPException, InternalServerError

from ..catalog import queries as catalog
from ..catalog.models import ProductGroup
from ..extensions import db
from ..i18n import LocalizedBlueprint, lang_from_path, set_lang
from ..locator.queries import current_locator
from ..pagecache import cached_page
from ..policies.pages import POLICIES
from ..reports.queries import todays_figures

bp = LocalizedBlueprint("site", __name__)
plain = Blueprint("site_plain", __name__)


@bp.route("/")
@cached_page
def home():
    return render_template(
        "storefront/home.html",
        featured=catalog.featured(limit=8),
        groups=list(ProductGroup),
        group_counts=catalog.group_counts(),
        producers=catalog.producers_with_stories(limit=3),
        figures=todays_figures(),
    )


@plain.route("/healthz/live")
def live():
    """The process answers; touches nothing else (the benchmark's baseline route, too)."""
    return current_app.response_class("ok\n", mimetype="text/plain")


@plain.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # the database is the one thing this answers about
        current_app.logger.exception("health check: database unreachable")
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@plain.route("/robots.txt")
def robots():
    body = f"User-agent: *\nDisallow: /api/\nSitemap: {url_for('site_plain.sitemap', _external=True)}\n"
    return current_app.response_class(body, mimetype="text/plain")


@plain.route("/sitemap.xml")
@cached_page
def sitemap():
    products, producers = catalog.sitemap_entries()
    pages = [("site.home", {}), ("catalog.products", {}), ("reports.figures", {}),
             ("locator.sales_points", {}), ("locator.destinations", {})]
    pages += [("locator.sales_point", {"slug": point.slug}) for point in current_locator().sales_points]
    pages += [("catalog.product", {"slug": slug}) for slug in products]
    pages += [("catalog.producer", {"slug": slug}) for slug in producers]
    pages += [("policies.policy", {"name": name}) for name in POLICIES]
    body = render_template("sitemap.xml", pages=pages)
    return current_app.response_class(body, mimetype="application/xml")


# The database is out of reach for now (no free connection, too many clients, a restart): the visitor
# is asked to come back in a moment, not shown a failure.
DATABASE_UNAVAILABLE = (sqlalchemy_exc.OperationalError, sqlalchemy_exc.TimeoutError,
                        sqlalchemy_exc.DisconnectionError)
BARE_PAGE = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>{code}</title></head><body>"
             "<h1>{code}</h1><p>Xin lỗi, vui lòng thử lại sau. Sorry, please try again later.</p>"
             "<p><a href=\"/\">OCOP Quảng Ngãi</a></p></body></html>")


def _rollback_quietly() -> None:
    try:
        db.session.rollback()
    except Exception:  # a broken connection cannot roll back: the pool replaces it
        current_app.logger.warning("rollback failed while answering an error", exc_info=True)


def _standalone_page(code: int, title: str, message: str) -> str:
    """The error page that touches nothing but the request; a fixed text if even that cannot render."""
    try:
        return render_template("errors/standalone.html", title=title, message=message)
    except Exception:
        current_app.logger.exception("the standalone error page failed")
        return BARE_PAGE.format(code=code)


def _error_page(error: HTTPException, message: str | None) -> str:
    template = f"errors/{error.code}.html" if error.code in (400, 404, 500) else "errors/generic.html"
    try:
        return render_template(template, error=error, message=message)
    except Exception:
        current_app.logger.exception("error page %s failed; answering with the standalone page", error.code)
        _rollback_quietly()
        return _standalone_page(error.code, _("Error %(code)s", code=error.code),
                                message or _("This request cannot be served. Please try again in a moment."))


def handle_http_error(error: HTTPException):
    original = getattr(error, "original_exception", None)
    if isinstance(original, DATABASE_UNAVAILABLE):  # raised while committing, after the view
        return handle_database_unavailable(original)
    set_lang(lang_from_path(request.path))
    _rollback_quietly()
    if request.path.startswith("/api/"):
        return jsonify(error=error.name, message=error.description, status=error.code), error.code
    # Only a message written for the user (abort(400, description=…)), never werkzeug's default text, nor
    # Flask-WTF's English reason for a missing or stale form token.
    if isinstance(error, CSRFError):
        message = _("The form expired. Please submit it again.")
    else:
        message = error.description if error.description != type(error).description else None
    return _error_page(error, message), error.code, _error_headers(error)


def _error_headers(error: HTTPException) -> dict:
    try:
        return dict(error.get_headers())
    except Exception:
        return {}


def handle_database_unavailable(error: Exception):
    current_app.logger.warning("database unavailable on %s: %s", request.path, str(error).splitlines()[0])
    set_lang(lang_from_path(request.path))
    _rollback_quietly()
    retry_after = str(current_app.config["RETRY_AFTER_SECONDS"])
    headers = {"Retry-After": retry_after, "Cache-Control": "no-store"}
    if request.path.startswith("/api/"):
        return jsonify(error="Service Unavailable", status=503), 503, headers
    body = _standalone_page(503, _("The shop is very busy"),
                            _("Too many visitors are being served at this moment. Please try again in a "
                              "few seconds: nothing you did was lost."))
    return body, 503, headers


def handle_unexpected_error(error: Exception):
    if isinstance(error, DATABASE_UNAVAILABLE):
        return handle_database_unavailable(error)
    current_app.logger.exception("unhandled error on %s", request.path)
    return handle_http_error(InternalServerError())


def init_error_handlers(app):
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
