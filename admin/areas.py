"""The OCOP office's places: the province, its former districts, and today's communes and wards."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.areas import operations
from storefront.areas.models import Area, AreaLevel
from storefront.errors import DomainError
from storefront.extensions import db

from . import navigation
from .forms import AREA_LEVEL_NAMES, AreaForm, attach_error, parent_choices, values_of
from .paging import list_arguments, matching, paginate
from .views import bp

navigation.add(navigation.admin_nav, "admin.areas", _l("Places"), 40)

SORTS = {"name": (Area.name, Area.id)}
FIELDS = ("name", "slug", "level", "kind", "parent_id")


def area_or_404(area_id: int) -> Area:
    area = db.session.get(Area, area_id)
    if area is None:
        abort(404)
    return area


def _form(**kwargs) -> AreaForm:
    form = AreaForm(**kwargs)
    form.parent_id.choices = parent_choices()
    return form


@bp.route("/admin/areas")
def areas():
    query, sort, page = list_arguments(SORTS, "name")
    statement = select(Area).options(selectinload(Area.parent))
    if query:
        statement = statement.where(matching(query, Area.name, Area.slug))
    level = request.args.get("level", "")
    if level:
        if level not in {l.value for l in AreaLevel}:
            abort(400)
        statement = statement.where(Area.level == AreaLevel(level))
    listed = paginate(statement.order_by(*SORTS[sort]), query, sort, page)
    return render_template("admin/areas/list.html", listed=listed, level=level, levels=AREA_LEVEL_NAMES)


def _save(form, area):
    try:
        values = values_of(form, FIELDS)
        return operations.create_area(values) if area is None else operations.update_area(area, values)
    except DomainError as error:
        attach_error(form, error)
        return None


@bp.route("/admin/areas/new", methods=["GET", "POST"])
def new_area():
    form = _form()
    if request.method == "GET":
        form.level.data = AreaLevel.COMMUNE.value
    if form.validate_on_submit():
        area = _save(form, None)
        if area is not None:
            flash(_("The place “%(name)s” was added.", name=area.name), "success")
            return redirect(url_for("admin.area", area_id=area.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("admin/areas/edit.html", form=form, area=None), status


@bp.route("/admin/areas/<int:area_id>", methods=["GET", "POST"])
def area(area_id):
    area = area_or_404(area_id)
    form = _form(obj=area)
    if form.validate_on_submit():
        if _save(form, area) is not None:
            flash(_("The place was saved."), "success")
            return redirect(url_for("admin.area", area_id=area.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("admin/areas/edit.html", form=form, area=area), status
