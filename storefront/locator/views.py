"""The locator's pages: sales points and destinations, nearest first; the GeoJSON; visit requests."""
import math
from functools import wraps
from pathlib import Path

from flask import (Blueprint, abort, current_app, jsonify, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext as _

from ..catalog.models import ProductGroup
from ..clock import today
from ..errors import DomainError
from ..extensions import db
from ..i18n import LocalizedBlueprint, current_lang
from ..pagecache import _cacheable_request
from ..templating import asset_url
from .. import ratelimit
from . import operations, queries
from .forms import BadQuery, LocatorQuery, VisitRequestForm, parse_query
from .geo import BadPosition, Position, format_distance, parse_position
from .hours import format_interval
from .models import VisitRequest
from .queries import DESTINATION, SALES_POINT, LocatorFilters, UnknownPlace

bp = LocalizedBlueprint("locator", __name__)
api = Blueprint("locator_api", __name__, url_prefix="/api/v1")

PER_PAGE = 20
# Visit requests one address may send: a family asks for a few places, a flood is refused.
VISIT_REQUEST_LIMIT, VISIT_REQUEST_WINDOW = 5, 600


def cached_until_open_status_changes(view):
    """The page cache, keyed also by the next moment a place opens or closes (open-now badges stay true).

    Pages sorted from a visitor's position are not stored: each position is its own URL, and thousands
    of them would push the shop's popular pages out of the cache for nothing.
    """
    @wraps(view)
    def wrapper(*args, **kwargs):
        cache = current_app.extensions["page_cache"]
        if cache.size <= 0 or not _cacheable_request() or request.args.get("lat") or request.args.get("lng"):
            return view(*args, **kwargs)
        locator = queries.current_locator()
        key = (cache.version(), today(), locator.next_change_after(queries.now_local()), request.full_path)
        page = cache.get(key)
        if page is None:
            response = current_app.make_response(view(*args, **kwargs))
            if response.status_code != 200:
                return response
            page = (response.get_data(), response.mimetype, dict(response.headers))
            cache.put(key, page)
        body, mimetype, headers = page
        response = current_app.response_class(body, mimetype=mimetype)
        response.headers.update({k: v for k, v in headers.items() if k != "Content-Length"})
        return response

    return wrapper


# --- Reading the visitor's question ------------------------------------------------------------------

POSITION_ERRORS = {
    "not_number": lambda: _("The position must be a latitude and a longitude in degrees, e.g. lat=15.12&lng=108.80."),
    "out_of_range": lambda: _("A latitude lies between -90 and 90 and a longitude between -180 and 180."),
    "outside_vietnam": lambda: _("This position is far outside Vietnam: the OCOP sales points of Quảng Ngãi "
                                 "are sorted from a position in Vietnam."),
}


def _read(kind: str):
    """(query, position, place named, problem): a problem is a message for the visitor, shown with a 400."""
    locator = queries.current_locator()
    try:
        query = parse_query(request.args, {d.slug for d in locator.districts}, {c.slug for c in locator.communes},
                            set(locator.stocked_products) | {p.slug for p in locator.destinations})
    except BadQuery as error:
        name = str(error)
        if name == "position":
            return LocatorQuery(LocatorFilters()), None, None, POSITION_ERRORS[error.reason]()
        return LocatorQuery(LocatorFilters()), None, None, _(
            "The filter “%(name)s” has a value the locator does not know.", name=name)
    position, named = query.position, None
    if query.near:  # a place typed after "near me" was used replaces the device's position
        try:
            named = queries.find_place(query.near, locator)
        except UnknownPlace as error:
            message = _("No commune, ward or former district of Quảng Ngãi is called “%(name)s”.", name=query.near)
            if error.suggestions:
                message += " " + _("Did you mean: %(names)s?", names=", ".join(error.suggestions))
            else:
                message += " " + _("Type the name of a commune or a former district, such as Lý Sơn or Ba Tơ.")
            return query, None, None, message
        position = named.position
    return query, position, named, None


def _render_list(kind: str, template: str):
    query, position, named, problem = _read(kind)
    locator = queries.current_locator()
    found = queries.search(kind, query.filters, position, locator)
    pages = max(1, math.ceil(len(found) / PER_PAGE))
    if query.page > pages and not problem:
        abort(404)
    shown = found[(query.page - 1) * PER_PAGE: query.page * PER_PAGE]
    body = render_template(
        template, query=query, found=shown, total=len(found), pages=pages, position=position, named=named,
        problem=problem, districts=locator.districts, communes=locator.communes, groups=list(ProductGroup),
        product_filtered=locator.stocked_products.get(query.filters.product) if query.filters.product else None,
        now=queries.now_local(), kind=kind, map_data_url=url_for("locator_api.geojson", **_api_args(query)))
    return body, 400 if problem else 200


def _api_args(query: LocatorQuery) -> dict:
    f = query.filters
    return {k: v for k, v in (("district", f.district), ("commune", f.commune), ("group", f.group),
                              ("product", f.product)) if v}


@bp.route("/sales-points")
@cached_until_open_status_changes
def sales_points():
    return _render_list(SALES_POINT, "storefront/locator/sales_points.html")


@bp.route("/destinations")
@cached_until_open_status_changes
def destinations():
    return _render_list(DESTINATION, "storefront/locator/destinations.html")


@bp.route("/sales-points/<slug:slug>")
@cached_until_open_status_changes
def sales_point(slug):
    place = queries.place_by_slug(SALES_POINT, slug)
    if place is None:
        abort(404, description=_("There is no sales point at this address. It may have closed or moved: "
                                 "see the list of sales points."))
    return render_template("storefront/locator/sales_point.html", place=place, now=queries.now_local())


# --- Visit requests ----------------------------------------------------------------------------------

def _destination_or_404(slug):
    place = queries.place_by_slug(DESTINATION, slug)
    destination = queries.destination_for_product(place.products[0].id) if place else None
    if destination is None:
        abort(404, description=_("There is no OCOP destination at this address: see the list of destinations."))
    return place, destination


@bp.route("/destinations/<slug:slug>/visit", methods=["GET", "POST"])
def visit_request(slug):
    place, destination = _destination_or_404(slug)
    form = VisitRequestForm()
    status = 200
    problem = None
    if request.method == "POST":
        if not ratelimit.hit("visit-request", request.remote_addr or "-", VISIT_REQUEST_LIMIT,
                             VISIT_REQUEST_WINDOW):
            problem = _("Too many requests were sent from your connection in the last minutes. Please wait "
                        "ten minutes, or call the place directly.")
            status = 429
        elif form.validate_on_submit():
            try:
                visit = operations.request_visit(
                    destination, name=form.name.data, phone=form.phone.data, visit_date=form.visit_date.data,
                    party_size=form.party_size.data, message=form.message.data, language=current_lang())
            except DomainError as error:
                form.visit_date.errors = [*form.visit_date.errors, str(error)]
                status = 400
            else:
                db.session.flush()
                session["visit_request"] = visit.id
                return redirect(url_for("locator.visit_request_sent", slug=slug), 303)
        else:
            status = 400
    return render_template("storefront/locator/visit_request.html", place=place, destination=destination,
                           form=form, problem=problem, today=today(), now=queries.now_local()), status


@bp.route("/destinations/<slug:slug>/visit/sent")
def visit_request_sent(slug):
    place, destination = _destination_or_404(slug)
    visit = None
    visit_id = session.get("visit_request")
    if visit_id is not None:
        visit = db.session.get(VisitRequest, visit_id)
    if visit is None or visit.destination_id != destination.id:
        return redirect(url_for("locator.visit_request", slug=slug))
    return render_template("storefront/locator/visit_request_sent.html", place=place, destination=destination,
                           visit=visit)


# --- GeoJSON -----------------------------------------------------------------------------------------

def _feature(place: queries.Place, now) -> dict:
    status = place.schedule.status_at(now)
    return {
        "type": "Feature",
        "id": f"{place.kind}:{place.slug}",
        "geometry": {"type": "Point", "coordinates": [round(place.longitude, 6), round(place.latitude, 6)]},
        "properties": {
            "kind": place.kind,
            "slug": place.slug,
            "name": {"vi": place.name_vi, "en": place.name_en or place.name_vi},
            "address": place.address,
            "commune": place.area.name,
            "former_district": place.district.name if place.district else None,
            "phone": place.phone,
            "open_now": status.is_open if status.known else None,
            "hours_today": [format_interval(i) for i in place.schedule.intervals_on(now.date())],
            "products": len(place.products) if place.kind == SALES_POINT else None,
            "stars": place.stars,
            "url": {lang: url_for("locator.sales_point" if place.kind == SALES_POINT else "catalog.product",
                                  slug=place.slug, lang=lang, _external=True) for lang in ("vi", "en")},
            "directions_url": directions_url(place),
        },
    }


@api.route("/sales-points.geojson")
@cached_until_open_status_changes
def geojson():
    locator = queries.current_locator()
    try:
        query = parse_query(request.args, {d.slug for d in locator.districts}, {c.slug for c in locator.communes},
                            set(locator.stocked_products) | {p.slug for p in locator.destinations})
    except BadQuery as error:
        abort(400, description=_("The filter “%(name)s” has a value the locator does not know.", name=str(error)))
    kinds = request.args.get("kind", "")
    if kinds not in ("", SALES_POINT, DESTINATION):
        abort(400, description=_("The filter “%(name)s” has a value the locator does not know.", name="kind"))
    now = queries.now_local()
    features = [_feature(found.place, now)
                for kind in (SALES_POINT, DESTINATION) if kinds in ("", kind)
                for found in queries.search(kind, query.filters, query.position, locator)]
    response = jsonify({"type": "FeatureCollection", "features": features})
    response.mimetype = "application/geo+json"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


# --- Helpers the templates call --------------------------------------------------------------------

def directions_url(place) -> str:
    """Opens directions in the phone's map app (Google Maps' cross-platform URL), else in a browser."""
    return (f"https://www.google.com/maps/dir/?api=1&destination={place.latitude:.6f},{place.longitude:.6f}")


def _position_from_request() -> tuple[Position | None, str | None, str | None]:
    """(position, place name, problem) from ?lat=&lng= or ?near= on a page that is not the locator's."""
    lat, lng, near = request.args.get("lat", ""), request.args.get("lng", ""), request.args.get("near", "")
    if lat or lng:
        try:
            return parse_position(lat, lng), None, None
        except BadPosition as error:
            return None, None, POSITION_ERRORS[str(error)]()
    if near.strip():
        try:
            named = queries.find_place(near[:100])
        except UnknownPlace:
            return None, None, _("No commune, ward or former district of Quảng Ngãi is called “%(name)s”.",
                                 name=near[:100])
        return named.position, named.area.name, None
    return None, None, None


@bp.app_template_global()
def locator_where_to_buy(product) -> dict:
    position, named, problem = _position_from_request()
    return {"found": queries.where_to_buy(product.id, position), "position": position, "named": named,
            "problem": problem}


@bp.app_template_global()
def locator_destination(product):
    return queries.place_by_slug(DESTINATION, product.slug)


@bp.app_template_global()
def leaflet_assets() -> dict | None:
    """URLs of Leaflet's files copied from node_modules by `make install`; None when they are missing
    (the pages then show their static fallback instead of a map)."""
    folder = Path(current_app.static_folder) / "vendor" / "leaflet"
    if not (folder / "leaflet.js").is_file() or not (folder / "leaflet.css").is_file():
        return None
    return {"js": asset_url("vendor/leaflet/leaflet.js"), "css": asset_url("vendor/leaflet/leaflet.css")}


@bp.app_template_global()
def distance_text(km: float) -> str:
    return format_distance(km, current_lang())


@bp.app_template_global()
def today_date():
    return today()


bp.add_app_template_global(directions_url, "directions_url")
bp.add_app_template_global(format_interval, "format_interval")
