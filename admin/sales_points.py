"""The OCOP office's sales points: list, create, edit, publish or unpublish (coordinates typed in)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.areas.models import Area
from storefront.errors import DomainError, NotFound
from storefront.extensions import db
from storefront.locator import operations
from storefront.locator.models import Funding, SalesPoint, default_photo_alt
from storefront.locator.operations import VIETNAM_LATITUDE, VIETNAM_LONGITUDE

from . import navigation
from .forms import ActionForm, SalesPointForm, SalesPointPhotoForm, attach_error, commune_choices, values_of
from .paging import list_arguments, matching, paginate
from .uploads import attach_photo_error, uploaded_photo
from .views import bp

navigation.add(navigation.admin_nav, "admin.sales_points", _l("Sales points"), 30)

SORTS = {"name": (SalesPoint.name_vi, SalesPoint.id)}
FIELDS = ("slug", "name_vi", "name_en", "address", "area_id", "latitude", "longitude", "opening_hours_vi",
          "opening_hours_en", "phone", "funding", "description_vi", "description_en", "is_published")


def point_or_404(point_id: int) -> SalesPoint:
    point = db.session.get(SalesPoint, point_id)
    if point is None:
        abort(404)
    return point


def _form(**kwargs) -> SalesPointForm:
    form = SalesPointForm(**kwargs)
    form.area_id.choices = commune_choices()
    return form


@bp.route("/admin/sales-points")
def sales_points():
    query, sort, page = list_arguments(SORTS, "name")
    statement = select(SalesPoint).options(selectinload(SalesPoint.area).selectinload(Area.parent))
    if query:
        statement = statement.where(matching(query, SalesPoint.name_vi, SalesPoint.name_en, SalesPoint.address))
    funding = request.args.get("funding", "")
    if funding:
        if funding not in {f.value for f in Funding}:
            abort(400)
        statement = statement.where(SalesPoint.funding == Funding(funding))
    listed = paginate(statement.order_by(*SORTS[sort]), query, sort, page)
    return render_template("admin/sales_points/list.html", listed=listed, funding=funding, fundings=list(Funding))


def _render(form, point, status=200, photo_form=None, photo_errors=(), photo_values=None):
    return render_template("admin/sales_points/edit.html", form=form, point=point, action_form=ActionForm(),
                           latitude_range=VIETNAM_LATITUDE, longitude_range=VIETNAM_LONGITUDE,
                           photo_form=photo_form or SalesPointPhotoForm(formdata=None), photo_errors=photo_errors,
                           photo_values=photo_values or {}, max_photos=operations.MAX_PHOTOS,
                           default_photo_alt=default_photo_alt), status


def _save(form, point):
    try:
        values = values_of(form, FIELDS)
        if point is None:
            return operations.create_sales_point(values)
        return operations.update_sales_point(point, values)
    except DomainError as error:
        attach_error(form, error)
        return None


@bp.route("/admin/sales-points/new", methods=["GET", "POST"])
def new_sales_point():
    form = _form()
    if form.validate_on_submit():
        point = _save(form, None)
        if point is not None:
            flash(_("The sales point “%(name)s” was added.", name=point.name_vi), "success")
            return redirect(url_for("admin.sales_point", point_id=point.id))
    return _render(form, None, 400 if form.errors or form.form_errors else 200)


@bp.route("/admin/sales-points/<int:point_id>", methods=["GET", "POST"])
def sales_point(point_id):
    point = point_or_404(point_id)
    form = _form(obj=point)
    if form.validate_on_submit():
        if _save(form, point) is not None:
            flash(_("The sales point was saved."), "success")
            return redirect(url_for("admin.sales_point", point_id=point.id))
    return _render(form, point, 400 if form.errors or form.form_errors else 200)


@bp.route("/admin/sales-points/<int:point_id>/publish", methods=["POST"])
def publish_sales_point(point_id):
    return _set_published(point_or_404(point_id), True)


@bp.route("/admin/sales-points/<int:point_id>/unpublish", methods=["POST"])
def unpublish_sales_point(point_id):
    return _set_published(point_or_404(point_id), False)


def _set_published(point, published):
    if not ActionForm().validate_on_submit():
        abort(400)
    operations.set_sales_point_published(point, published)
    flash(_("The sales point is published.") if published else _("The sales point is hidden from the site."),
          "success")
    return redirect(url_for("admin.sales_point", point_id=point.id))


# --- photos ---

def _render_photos_refused(point, **kwargs):
    return _render(_form(obj=point, formdata=None), point, status=400, **kwargs)


def _back_to_photos(point):
    return redirect(url_for("admin.sales_point", point_id=point.id) + "#photos")


@bp.route("/admin/sales-points/<int:point_id>/photos", methods=["POST"])
def add_sales_point_photo(point_id):
    point = point_or_404(point_id)
    form = SalesPointPhotoForm()
    if form.validate_on_submit():
        try:
            operations.add_sales_point_photo(point, uploaded_photo(), form.alt_vi.data, form.alt_en.data)
        except DomainError as error:
            db.session.rollback()  # an image stored before a later refusal is not kept
            attach_photo_error(form, error)
        else:
            flash(_("The photo was added."), "success")
            return _back_to_photos(point)
    return _render_photos_refused(point_or_404(point_id), photo_form=form)


def _wanted_photos() -> dict[int, dict]:
    """The photos form: each photo's id, its place (1…n, None when it is not a number) and descriptions."""
    wanted = {}
    for value in request.form.getlist("photo_id"):
        if not value.isascii() or not value.isdigit() or len(value) > 12:
            continue  # not one of this point's photos: the operation says the photos changed
        photo_id = int(value)
        position = request.form.get(f"position-{photo_id}", "").strip()
        wanted[photo_id] = {
            "position": int(position) if position.isascii() and position.isdigit() and len(position) < 4 else None,
            "alt_vi": request.form.get(f"alt_vi-{photo_id}", ""),
            "alt_en": request.form.get(f"alt_en-{photo_id}", ""),
        }
    return wanted


@bp.route("/admin/sales-points/<int:point_id>/photos/order", methods=["POST"])
def sales_point_photos(point_id):
    point = point_or_404(point_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    wanted = _wanted_photos()
    try:
        changed = operations.update_sales_point_photos(point, wanted)
    except DomainError as error:
        db.session.rollback()
        return _render_photos_refused(point_or_404(point_id), photo_errors=[str(error)], photo_values=wanted)
    flash(_("The photos were saved.") if changed else _("Nothing was changed."), "success")
    return _back_to_photos(point)


@bp.route("/admin/sales-points/<int:point_id>/photos/<int:photo_id>/remove", methods=["POST"])
def remove_sales_point_photo(point_id, photo_id):
    point = point_or_404(point_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.remove_sales_point_photo(point, photo_id)
    except NotFound:
        abort(404)
    flash(_("The photo was removed."), "success")
    return _back_to_photos(point)
