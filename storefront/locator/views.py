"""The locator's pages: sales points and destinations, nearest first; the GeoJSON; visit requests."""
import math
import re
from functools import wraps
from pathlib import Path

from flask import (Blueprint, abort, current_app, get_template_attribute, jsonify, redirect, render_template,
                   request, session, url_for)
from markupsafe import Markup, escape
from werkzeug.datastructures import ImmutableMultiDict
from flask_babel import gettext as _

from ..catalog.models import ProductGroup
from ..clock import today
from ..errors import DomainError
from ..extensions import db
from ..i18n import LocalizedBlueprint, current_lang
from ..labels import area_name
from ..httpcache import shared_page
from ..pagecache import _cacheable_request
from ..templating import asset_url
from ..text import whole_number
from .. import ratelimit
from . import gazetteer, operations, queries
from .forms import MAX_VALUE_LENGTH, BadQuery, LocatorQuery, VisitRequestForm, parse_query
from .geo import FAR_KM, BadPosition, Position, format_distance, in_vietnam, parse_coordinates, parse_position
from .hours import format_interval
from .models import VisitRequest
from .queries import DESTINATION, SALES_POINT, LocatorFilters, UnknownPlace

bp = LocalizedBlueprint("locator", __name__)
api = Blueprint("locator_api", __name__, url_prefix="/api/v1")

PER_PAGE = 20
# Visit requests one address may send: a family asks for a few places, a flood is refused. Posts the form
# refused count apart, against a much higher limit: a visitor may need a few tries, a script many.
VISIT_REQUEST_LIMIT, VISIT_REQUEST_TRIES, VISIT_REQUEST_WINDOW = 5, 60, 600


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

    return shared_page(wrapper, key=_open_status_key)


def _open_status_key() -> tuple | None:
    """What a shared cache's validator adds for these pages: the next moment a place opens or closes.
    None for a list sorted from a visitor's position: no shared cache keeps where a visitor stands."""
    if request.args.get("lat") or request.args.get("lng"):
        return None
    change = queries.current_locator().next_change_after(queries.now_local())
    return (change.isoformat() if change else None,)


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
        query = parse_query(request.args, *locator.filter_values)
    except BadQuery as error:
        name = str(error)
        if name == "position":
            return LocatorQuery(LocatorFilters()), None, None, POSITION_ERRORS[error.reason]()
        if error.reason == "too_long":
            return LocatorQuery(LocatorFilters()), None, None, _(
                "The value of “%(name)s” is too long: at most %(count)d characters.", name=name,
                count=MAX_VALUE_LENGTH)
        return LocatorQuery(LocatorFilters()), None, None, _(
            "The filter “%(name)s” has a value the locator does not know.", name=name)
    position, named = query.position, None
    if query.near:  # a place typed after "near me" was used replaces the device's position
        try:
            named = queries.find_place(query.near, locator)
        except UnknownPlace as error:
            return query, None, None, unknown_place_message(query.near, error)
        position = named.position
    return query, position, named, None


def unknown_place_message(typed: str, error: UnknownPlace) -> str:
    message = _("No place in Quảng Ngãi called “%(name)s” is known here.", name=typed)
    if error.suggestions:
        return message + " " + _("Did you mean: %(names)s?",
                                 names=", ".join(_suggested_name(place) for place in error.suggestions))
    return message + " " + _("Type a commune, a ward, a former district, a beach or the name of a sales point, "
                             "such as Lý Sơn, Ba Tơ or Mỹ Khê.")


def _suggested_name(place) -> str:
    """A suggestion as the visitor would type it: an area's bare name, anything else by its name."""
    return place.area.name if place.area is not None else localized_name(place)


def localized_name(place) -> str:
    return (place.name_en if current_lang() == "en" and place.name_en else None) or place.name_vi


# A position as "near me" sends it (JavaScript rounds to 4 decimals): such a page is its frame, rendered
# once with SENTINEL in place of the position, with the position and the sorted cards written in.
PLAIN_NUMBER = re.compile(r"-?\d{1,3}(?:\.\d{1,10})?")
SENTINEL = ("15.98765432123", "108.98765432123")
PLACES_MARKER = "<!--places-->"


def _render_list(kind: str, template: str):
    query, position, named, problem = _read(kind)
    locator = queries.current_locator()
    found = queries.search(kind, query.filters, position, locator, needed=query.page * PER_PAGE)
    pages = max(1, math.ceil(len(found) / PER_PAGE))
    if query.page > pages and not problem:
        abort(404)
    shown = found[(query.page - 1) * PER_PAGE: query.page * PER_PAGE]
    now = queries.now_local()
    lat, lng = request.args.get("lat", ""), request.args.get("lng", "")
    if (position is not None and named is None and problem is None and _cacheable_request()
            and PLAIN_NUMBER.fullmatch(lat) and PLAIN_NUMBER.fullmatch(lng)):
        frame = _frame(template, kind, query, len(found), pages, locator)
        cards = place_cards_html(shown, now)
        return frame.replace(SENTINEL[0], lat).replace(SENTINEL[1], lng).replace(PLACES_MARKER, cards, 1), 200
    body = render_template(template, **_list_context(kind, query, position, named, problem, len(found), pages,
                                                     locator),
                           found=shown, now=now, position_text=_position_text(position, lat, lng))
    return body, 400 if problem else 200


def requested_view() -> str:
    """"map" when the address asks for the map first (?view=map: the list/map switch keeps it there), else
    "list"; an unknown value is the list. Only JavaScript acts on it: without it the list always comes
    first, as the map needs JavaScript."""
    return "map" if request.args.get("view", "").strip().lower() == "map" else "list"


def _list_context(kind, query, position, named, problem, total, pages, locator) -> dict:
    return dict(
        view=requested_view(), query=query, total=total, pages=pages, position=position, named=named, problem=problem,
        districts=locator.districts, communes=locator.communes, groups=list(ProductGroup), kind=kind,
        product_filtered=locator.stocked_products.get(query.filters.product) if query.filters.product else None,
        map_data_url=url_for("locator_api.geojson", **_api_args(query)))


def _position_text(position, lat: str, lng: str) -> tuple[str, str] | None:
    """The position as the page writes it back (hidden fields, the map): as sent when it is a plain number."""
    if position is None:
        return None
    if PLAIN_NUMBER.fullmatch(lat) and PLAIN_NUMBER.fullmatch(lng):
        return lat, lng
    return f"{position.latitude:.4f}", f"{position.longitude:.4f}"


def _frame(template: str, kind: str, query: LocatorQuery, total: int, pages: int, locator) -> str:
    """The page of a list sorted from a position, with SENTINEL for the position and PLACES_MARKER for the
    cards, kept with the read model per address (the position aside). Whatever links the page copies from
    the query string (pages, languages) carry the sentinel too."""
    args = request.args.copy()
    args["lat"], args["lng"] = SENTINEL
    key = ("frame", request.path, tuple(sorted(args.items(multi=True))))
    frame = locator.fragments.get(key)
    if frame is None:
        original = request.args
        request.args = ImmutableMultiDict(args)
        try:
            frame = render_template(
                template, **_list_context(kind, query, Position(float(SENTINEL[0]), float(SENTINEL[1])), None, None,
                                          total, pages, locator),
                found=[], places_marker=Markup(PLACES_MARKER), now=queries.now_local(), position_text=SENTINEL)
        finally:
            request.args = original
        locator.fragments[key] = frame
    return frame


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
    form = VisitRequestForm(destination)
    status = 200
    problem = None
    if request.method == "POST":
        address = request.remote_addr or "-"
        if not ratelimit.hit("visit-request-try", address, VISIT_REQUEST_TRIES, VISIT_REQUEST_WINDOW):
            problem = _("Too many tries were sent from your connection in the last minutes. Please wait ten "
                        "minutes, or call the place directly.")
            status = 429
        elif not form.validate_on_submit():
            status = 400
        # Only a request that would be sent counts: a visitor who had to correct the form is not held up.
        elif not ratelimit.hit("visit-request", address, VISIT_REQUEST_LIMIT, VISIT_REQUEST_WINDOW):
            problem = _("Too many requests were sent from your connection in the last minutes. Please wait "
                        "ten minutes, or call the place directly.")
            status = 429
        else:
            try:
                visit = operations.request_visit(
                    destination, name=form.name.data, phone=form.phone.data, visit_date=form.visit_date.data,
                    party_size=form.party_size.data, message=form.message.data, language=current_lang())
            except DomainError as error:  # the form has checked the same rules: only a race gets here
                field = getattr(form, getattr(error, "field", "visit_date"))
                field.errors = [*field.errors, str(error)]
                status = 400
            else:
                db.session.flush()
                session["visit_request"] = visit.id
                return redirect(url_for("locator.visit_request_sent", slug=slug), 303)
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
        query = parse_query(request.args, *locator.filter_values)
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


NEAREST_DEFAULT, NEAREST_MAX = 3, 10


@api.route("/nearest.json")
def nearest():
    """The places nearest to a position anywhere on Earth, with their distances: what "My position" on the
    locator's pages marks. The same haversine and the same filters as the lists; `far` (the nearest is more
    than FAR_KM away) tells the page to say how far rather than to draw the visitor on the map."""
    locator = queries.current_locator()
    args = request.args.copy()
    lat, lng = args.pop("lat", ""), args.pop("lng", "")
    if not lat.strip() or not lng.strip():
        abort(400, description=POSITION_ERRORS["not_number"]())
    try:
        position = parse_coordinates(lat, lng)
    except BadPosition as error:
        abort(400, description=POSITION_ERRORS[str(error)]())
    try:
        query = parse_query(args, *locator.filter_values)
    except BadQuery as error:
        abort(400, description=_("The filter “%(name)s” has a value the locator does not know.", name=str(error)))
    kind = args.get("kind", SALES_POINT)
    if kind not in (SALES_POINT, DESTINATION):
        abort(400, description=_("The filter “%(name)s” has a value the locator does not know.", name="kind"))
    limit = whole_number(args.get("limit", "").strip() or str(NEAREST_DEFAULT), 1, NEAREST_MAX)
    if limit is None:
        abort(400, description=_("The filter “%(name)s” has a value the locator does not know.", name="limit"))
    found = queries.search(kind, query.filters, position, locator, needed=limit)
    places = []
    for item in found[:limit]:
        place, km = item.place, item.distance_km
        places.append({
            "kind": place.kind, "slug": place.slug,
            "name": {"vi": place.name_vi, "en": place.name_en or place.name_vi},
            "url": {lang: url_for("locator.sales_point" if place.kind == SALES_POINT else "catalog.product",
                                  slug=place.slug, lang=lang) for lang in ("vi", "en")},
            "coordinates": [round(place.longitude, 6), round(place.latitude, 6)],
            "distance_km": round(km, 3),
            "distance": {lang: format_distance(km, lang) for lang in ("vi", "en")},
        })
    response = jsonify({
        "position": {"lat": position.latitude, "lng": position.longitude},
        "in_vietnam": in_vietnam(position.latitude, position.longitude),
        "far": bool(places) and places[0]["distance_km"] > FAR_KM,
        "total": len(found),
        "places": places,
    })
    response.headers["Cache-Control"] = "no-store"  # a visitor's position is nobody else's business
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
        near = " ".join(near[:MAX_VALUE_LENGTH].split())
        try:
            named = queries.find_place(near)
        except UnknownPlace as error:
            return None, None, unknown_place_message(near, error)
        return named.position, named, None
    return None, None, None


@bp.app_template_global()
def locator_where_to_buy(product) -> dict:
    position, named, problem = _position_from_request()
    return {"found": queries.where_to_buy(product.id, position), "position": position, "named": named,
            "problem": problem}


@bp.app_template_global()
def named_place_label(named) -> str:
    """The place a visitor's typing was read as, in the visitor's language: "Tịnh Khê commune",
    "Mỹ Khê beach", "OCOP shop by Mỹ Khê beach"."""
    return area_name(named.area) if named.area is not None else localized_name(named)


@bp.app_template_global()
def typed_differs(typed: str, named) -> bool:
    """Whether the page should say how it read what was typed: not when the visitor typed the name itself."""
    return not gazetteer.is_its_name(typed, named)


@bp.record_once
def _check_landmarks(state):
    """A landmark set in the configuration with no name or a position outside Vietnam stops the start."""
    gazetteer.configured_landmarks(state.app.config)


@bp.app_template_global()
def locator_destination(product):
    return queries.place_by_slug(DESTINATION, product.slug)


MAP_ASSETS = {"js": "vendor/leaflet/leaflet.js", "css": "vendor/leaflet/leaflet.css",
              "cluster_js": "vendor/leaflet.markercluster/leaflet.markercluster.js",
              "cluster_css": "vendor/leaflet.markercluster/MarkerCluster.css",
              "cluster_theme_css": "vendor/leaflet.markercluster/MarkerCluster.Default.css"}


@bp.app_template_global()
def leaflet_assets() -> dict | None:
    """URLs of Leaflet's and its marker clusters' files, copied from node_modules by `make install`; None
    when they are missing (the pages then show their static fallback instead of a map)."""
    folder = Path(current_app.static_folder)
    if not all((folder / path).is_file() for path in MAP_ASSETS.values()):
        return None
    return {name: asset_url(path) for name, path in MAP_ASSETS.items()}


@bp.app_template_global()
def distance_text(km: float) -> str:
    return format_distance(km, current_lang())


# Cards rendered per locator read model: more than this in one day means something keeps varying.
MAX_FRAGMENTS = 20_000


@bp.app_template_global()
def place_cards_html(found: list, now) -> Markup:
    """The places' cards with their distances. A card is rendered once per language, place and opening
    state (what the open-now badge says) and kept with the read model; only the distance is written per
    request."""
    locator = queries.current_locator()
    lang = current_lang()
    fragments = locator.fragments
    if len(fragments) > MAX_FRAGMENTS:
        fragments.clear()
    pattern = fragments.get(("away", lang))
    if pattern is None:
        pattern = fragments[("away", lang)] = str(escape(_("%(distance)s away")))
    cards = []
    for item in found:
        place = item.place
        # The cards of a place are kept with its opening state: the day (today's hours) and the badge
        # stay true until the place next opens or closes, and the state is dropped at midnight.
        status, _since, _until, by_lang = locator.opening_state(place, now)
        card = by_lang.get(lang)
        if card is None:
            card = by_lang[lang] = str(get_template_attribute("_macros/locator.html", "place_card")(place, now, status))
        distance = ""
        if item.distance_km is not None:
            # Digits, a separator and a unit: nothing to escape.
            text = pattern % {"distance": format_distance(item.distance_km, lang)}
            distance = f'<p class="place__distance">{text}</p>'
        cards.append(card.replace("<!--distance-->", distance, 1))
    return Markup("".join(cards))


@bp.app_template_global()
def area_options(name: str, areas, selected: str | None) -> Markup:
    """The <option>s of a district or commune filter, rendered once per language and selection."""
    fragments = queries.current_locator().fragments
    key = ("options", current_lang(), name, selected)
    options = fragments.get(key)
    if options is None:
        options = fragments[key] = Markup("").join(
            Markup('<option value="{}"{}>{}</option>').format(
                area.slug, Markup(" selected") if area.slug == selected else "", area_label(area))
            for area in areas)
    return options


@bp.app_template_global()
def area_label(area) -> str:
    """area_name() of a locator area, worked out once per language."""
    fragments = queries.current_locator().fragments
    key = ("area", current_lang(), area.slug)
    label = fragments.get(key)
    if label is None:
        label = fragments[key] = area_name(area)
    return label


@bp.app_template_global()
def today_date():
    return today()


bp.add_app_template_global(directions_url, "directions_url")
bp.add_app_template_global(format_interval, "format_interval")
