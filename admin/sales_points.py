"""The OCOP office's sales points: list, create, edit, publish or unpublish (coordinates typed in)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.areas.models import Area
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.locator import operations
from storefront.locator.models import Funding, SalesPoint
from storefront.locator.operations import VIETNAM_LATITUDE, VIETNAM_LONGITUDE

from . import navigation
from .forms import ActionForm, SalesPointForm, attach_error, commune_choices, values_of
from .paging import list_arguments, matching, paginate
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


def _render(form, point, status=200):
    return render_template("admin/sales_points/edit.html", form=form, point=point, action_form=ActionForm(),
                           latitude_range=VIETNAM_LATITUDE, longitude_range=VIETNAM_LONGITUDE), status


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
