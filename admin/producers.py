"""The OCOP office's producers: list, create, edit, publish or unpublish."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from storefront.areas.models import Area
from storefront.catalog import operations
from storefront.catalog.models import Producer, ProducerType, Product
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.text import contains_pattern

from . import navigation
from .forms import ActionForm, ProducerForm, attach_error, commune_choices, craft_village_choices, values_of
from .paging import list_arguments, paginate
from .views import bp

navigation.add(navigation.admin_nav, "admin.producers", _l("Producers"), 20)

SORTS = {
    "name": (Producer.search_text, Producer.name, Producer.id),
    "newest": (Producer.created_at.desc(), Producer.id.desc()),
}
PRODUCER_FORM_FIELDS = ("name", "slug", "type", "area_id", "address", "phone", "email", "website", "story_vi",
                        "story_en", "craft_village_id", "sells_through_modern_channels", "is_published")


def producer_or_404(producer_id: int) -> Producer:
    producer = db.session.get(Producer, producer_id)
    if producer is None:
        abort(404)
    return producer


def _form(**kwargs) -> ProducerForm:
    form = ProducerForm(**kwargs)
    form.area_id.choices = commune_choices()
    form.craft_village_id.choices = craft_village_choices()
    return form


@bp.route("/admin/producers")
def producers():
    query, sort, page = list_arguments(SORTS, "name")
    statement = select(Producer).options(selectinload(Producer.area).selectinload(Area.parent))
    pattern = contains_pattern(query)
    if pattern:  # tone marks, case and spaces aside, as the products' list
        statement = statement.where(Producer.search_text.like(pattern, escape="\\"))
    kind = request.args.get("type", "")
    if kind:
        if kind not in {t.value for t in ProducerType}:
            abort(400)
        statement = statement.where(Producer.type == ProducerType(kind))
    state = request.args.get("state", "")
    if state in ("published", "unpublished"):
        statement = statement.where(Producer.is_published.is_(state == "published"))
    elif state:
        abort(400)
    listed = paginate(statement.order_by(*SORTS[sort]), query, sort, page)
    counts = dict(db.session.execute(
        select(Product.producer_id, func.count()).where(Product.producer_id.in_([p.id for p in listed.items]))
        .group_by(Product.producer_id)).all())
    return render_template("admin/producers/list.html", listed=listed, kind=kind, state=state, counts=counts,
                           producer_types=list(ProducerType))


def _save(form, producer):
    try:
        values = values_of(form, PRODUCER_FORM_FIELDS)
        if producer is None:
            return operations.create_producer(values)
        return operations.update_producer(producer, values)
    except DomainError as error:
        attach_error(form, error)
        return None


@bp.route("/admin/producers/new", methods=["GET", "POST"])
def new_producer():
    form = _form()
    if form.validate_on_submit():
        producer = _save(form, None)
        if producer is not None:
            flash(_("The producer “%(name)s” was added.", name=producer.name), "success")
            return redirect(url_for("admin.producer", producer_id=producer.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("admin/producers/edit.html", form=form, producer=None), status


@bp.route("/admin/producers/<int:producer_id>", methods=["GET", "POST"])
def producer(producer_id):
    producer = producer_or_404(producer_id)
    form = _form(obj=producer)
    if form.validate_on_submit():
        if _save(form, producer) is not None:
            flash(_("The producer was saved."), "success")
            return redirect(url_for("admin.producer", producer_id=producer.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("admin/producers/edit.html", form=form, producer=producer,
                           action_form=ActionForm()), status


@bp.route("/admin/producers/<int:producer_id>/publish", methods=["POST"])
def publish_producer(producer_id):
    return _set_published(producer_or_404(producer_id), True)


@bp.route("/admin/producers/<int:producer_id>/unpublish", methods=["POST"])
def unpublish_producer(producer_id):
    return _set_published(producer_or_404(producer_id), False)


def _set_published(producer, published):
    if not ActionForm().validate_on_submit():
        abort(400)
    operations.set_producer_published(producer, published)
    flash(_("The producer is published: shoppers can see its page and products.") if published
          else _("The producer's page and products are hidden from the site."), "success")
    return redirect(url_for("admin.producer", producer_id=producer.id))
