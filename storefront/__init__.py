"""The OCOP Quảng Ngãi storefront: application factory."""
import importlib
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, abort, request
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import BaseConverter, IntegerConverter

from . import httpcache, i18n, pagecache, shipping, templating
from .media import storage as media_storage
from .config import DEFAULT_SECRET, INSTANCE_DIR, config_from_environment
from .extensions import babel, csrf, db, login_manager, migrate
from .translated_templates import LanguageEnvironment

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:{tile_source}; script-src 'self'; style-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def tile_source(tile_url: str) -> str:
    """The origin of the map tiles for img-src: "https://tile.openstreetmap.org"; a {s} subdomain
    becomes a wildcard for that one label ("https://*.tile.example.org"). Nothing for tiles of our own."""
    parts = urlsplit(tile_url)
    if not parts.scheme or not parts.netloc:
        return ""
    host = parts.netloc.replace("{s}", "*")
    if not re.fullmatch(r"(\*\.)?[A-Za-z0-9.-]+(:\d+)?", host):
        raise RuntimeError(f"MAP_TILE_URL has a host the Content-Security-Policy cannot name: {parts.netloc!r}")
    return f"{parts.scheme}://{host}"


def content_security_policy(app) -> str:
    source = tile_source(app.config.get("MAP_TILE_URL", ""))
    return CONTENT_SECURITY_POLICY.format(tile_source=f" {source}" if source else "")


class SlugConverter(BaseConverter):
    """Lower-case ASCII words joined by hyphens: anything else in a slug position is a 404."""

    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"


# The largest id a table holds (PostgreSQL's integer): a larger number in a path is a page that does not exist.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: a number the database can hold, or a 404 (never an out-of-range error)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def create_app(config=None) -> Flask:
    app = Flask(__name__, template_folder=str(TEMPLATES_DIR), static_folder=str(STATIC_DIR),
                instance_path=str(INSTANCE_DIR))
    app.jinja_environment = LanguageEnvironment
    # `config`: a configuration class, or a dict of overrides on the environment's configuration.
    app.config.from_object(config if isinstance(config, type) else config_from_environment())
    app.url_map.converters["slug"] = SlugConverter
    app.url_map.converters["int"] = IdConverter
    if isinstance(config, dict):
        app.config.update(config)
    _refuse_default_secret_in_production(app)
    shipping.init_app(app)  # the delivery rates: a bad setting stops the shop here
    media_storage.init_app(app)  # the media store: likewise
    if app.config["TRUSTED_PROXY_COUNT"]:
        count = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    pagecache.init_app(app)
    _register_models()
    _register_blueprints(app)
    _register_commands(app)
    _register_request_hooks(app)
    _start_search_follower(app)
    templating.init_app(app)
    _register_buying_globals(app)
    httpcache.init_app(app)  # after the blueprints: it finds the public pages among their views
    return app


def _start_search_follower(app):
    from .search import follow

    follow.init_app(app)


def _refuse_default_secret_in_production(app):
    if app.config.get("IS_PRODUCTION"):
        secret = app.config.get("SECRET_KEY")
        if not secret or secret == DEFAULT_SECRET or len(secret) < 32:
            raise RuntimeError("Production needs SECRET_KEY set to a random value of 32 characters or more.")


def _register_models():
    from .accounts import models as _accounts  # noqa: F401  (tables for migrations)
    from .areas.models import Area
    from .catalog.models import CraftVillage, Producer, Product, ProductImage
    from .certification.models import Certificate
    from .locator.models import (Destination, OpeningException, OpeningHours, SalesPoint, SalesPointPhoto,
                                 SalesPointStock)
    from .demo import models as _demo  # noqa: F401
    from .notifications import models as _notifications  # noqa: F401
    from .audit import models as _audit  # noqa: F401
    from . import ratelimit as _ratelimit  # noqa: F401
    from .media.models import MediaImage
    from .orders import models as _orders  # noqa: F401
    from .payments import models as _payments  # noqa: F401
    from .bankfeed import models as _bankfeed  # noqa: F401
    from . import changelog as _changelog  # noqa: F401
    from .search import sync as _search_sync  # noqa: F401  (the index follows committed changes)
    # They tell the media cleanup which images and files they hold beyond foreign keys.
    from .catalog import operations as _catalog_operations  # noqa: F401
    from .certification import operations as _certification_operations  # noqa: F401

    pagecache.watch(Area, CraftVillage, Producer, Product, ProductImage, Certificate, SalesPoint, MediaImage,
                    SalesPointStock, SalesPointPhoto, Destination, OpeningHours, OpeningException)


def _register_blueprints(app):
    from .addresses.views import api as addresses_api
    from .catalog.api import bp as catalog_api
    from .catalog.views import bp as catalog
    from .locator.views import api as locator_api
    from .certification.views import bp as certification
    from .locator.views import bp as locator
    from .media.views import bp as media
    from .reports.views import api as reports_api
    from .reports.views import bp as reports
    from .search.views import api as search_api
    from .search.views import bp as search
    from .site.views import bp as site
    from .site.views import init_error_handlers, plain as site_plain

    from .accounts.views import bp as accounts
    from .cart.views import bp as cart
    from .checkout.views import bp as checkout
    from .orders.views import bp as orders
    from .payments.views import bp as payments
    from .bankfeed.views import bp as bankfeed
    from .policies.views import bp as policies
    from .shipping.views import bp as shipping

    for blueprint in (site, site_plain, catalog, catalog_api, search, search_api, reports, reports_api, locator,
                      locator_api, media, accounts, cart, checkout, orders, payments, bankfeed, certification,
                      policies, shipping, addresses_api):
        app.register_blueprint(blueprint)
    for module in app.config["BACK_OFFICE_MODULES"]:
        importlib.import_module(module).init_app(app)
    init_error_handlers(app)


def _register_buying_globals(app):
    from .cart.store import count as cart_count
    from .orders.rules import problem_message, purchase_problem
    from .shipping import preference as delivery
    from .shipping import queries as delivery_quotes

    app.jinja_env.globals.update(cart_count=cart_count, purchase_problem=purchase_problem,
                                 problem_message=problem_message, visitor_delivery=delivery.visitor_delivery,
                                 delivery_provinces=delivery_quotes.provinces,
                                 province_short_name=delivery_quotes.short_name,
                                 lowest_delivery_fee=delivery_quotes.lowest_fee,
                                 free_delivery_note=delivery_quotes.free_delivery_note)
    app.jinja_env.globals.update(delivery_zone_name=delivery_quotes.zone_name,
                                 delivery_estimate=delivery_quotes.order_estimate,
                                 delivery_zone_table=delivery_quotes.zone_table)


def _register_commands(app):
    from .accounts.cli import user_cli
    from .catalog.cli import catalog_cli
    from .certification.cli import certificates_cli
    from .demo.cli import demo_cli
    from .locator.cli import locator_cli
    from .media.cli import media_cli
    from .notifications.cli import notifications_cli
    from .orders.cli import orders_cli
    from .search.cli import search_cli

    app.cli.add_command(user_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(locator_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(orders_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(catalog_cli)
    app.cli.add_command(media_cli)


def _register_request_hooks(app):
    from .accounts import access
    from .accounts import login as accounts_login

    policy = content_security_policy(app)
    hsts = app.config.get("STRICT_TRANSPORT_SECURITY")
    accounts_login.init_app(app)  # who is signed in: a live server-side session, checked on every request
    access.init_app(app)  # who may use the route: one table, checked before every other request hook

    @app.before_request
    def refuse_nul_bytes():
        # No text column can hold NUL (PostgreSQL refuses it): an address or a form carrying one is
        # malformed, whatever page it is sent to.
        values = [request.path, *request.args.values()]
        if request.method == "POST":
            values += [*request.form.values(), *(f.filename or "" for f in request.files.values())]
        if any("\x00" in value for value in values):
            abort(400, description=_l("The address or the form holds a character that cannot be used "
                                      "(a NUL byte). Please type the text again."))

    @app.after_request
    def commit_and_secure(response):
        # The one commit of a request: operations only stage their changes.
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", hsts)
        return response
