"""The OCOP office's products: list, create, edit, publish or unpublish, photos."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.catalog import operations
from storefront.catalog.models import EditStatus, ListingEdit, Producer, Product, ProductGroup
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.text import contains_pattern

from . import navigation
from .forms import ActionForm, PhotoForm, ProductForm, attach_error, values_of
from .paging import list_arguments, paginate
from .uploads import attach_photo_error, photo_rows, uploaded_photo
from .views import bp

navigation.add(navigation.admin_nav, "admin.products", _l("Products"), 10)

SORTS = {
    "name": (Product.search_text, Product.name_vi, Product.id),
    "updated": (Product.updated_at.desc(), Product.id.desc()),
    "price_asc": (Product.price.asc().nulls_last(), Product.id),
    "price_desc": (Product.price.desc().nulls_last(), Product.id),
    "stock": (Product.stock.asc(), Product.id),
}
PRODUCT_FORM_FIELDS = ("slug", "group", "subgroup", "name_vi", "name_en", "summary_vi", "summary_en",
                       "description_vi", "description_en", "story_vi", "story_en", "heritage_vi", "heritage_en",
                       "price", "unit_vi", "unit_en", "stock", "sold_online", "shippable", "is_published")


def product_or_404(product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None:
        abort(404)
    return product


def producer_by_slug(slug: str) -> Producer | None:
    slug = (slug or "").strip()
    if not operations.SLUG_PATTERN.match(slug):  # a web address name no producer can have (a NUL included)
        return None
    return db.session.scalar(select(Producer).where(Producer.slug == slug))


@bp.route("/admin/products")
def products():
    query, sort, page = list_arguments(SORTS, "name")
    statement = select(Product).options(selectinload(Product.producer))
    pattern = contains_pattern(query)
    if pattern:  # tone marks, case and spaces aside: "que tra bong" finds "Quế Trà Bồng"
        statement = statement.where(Product.search_text.like(pattern, escape="\\"))
    group = request.args.get("group", "")
    if group:
        if group not in {str(g.value) for g in ProductGroup}:
            abort(400)
        statement = statement.where(Product.group == int(group))
    state = request.args.get("state", "")
    if state == "published":
        statement = statement.where(Product.is_published.is_(True))
    elif state == "unpublished":
        statement = statement.where(Product.is_published.is_(False))
    elif state == "pending":
        statement = statement.where(Product.id.in_(
            select(ListingEdit.product_id).where(ListingEdit.status == EditStatus.PENDING)))
    elif state:
        abort(400)
    producer = None
    if request.args.get("producer"):
        producer = producer_by_slug(request.args["producer"])
        if producer is None:
            abort(404)
        statement = statement.where(Product.producer_id == producer.id)
    listed = paginate(statement.order_by(*SORTS[sort]), query, sort, page)
    pending = set(db.session.scalars(select(ListingEdit.product_id).where(
        ListingEdit.status == EditStatus.PENDING, ListingEdit.product_id.in_([p.id for p in listed.items]))))
    return render_template("admin/products/list.html", listed=listed, group=group, state=state,
                           producer=producer, pending=pending, groups=list(ProductGroup))


def _save(form: ProductForm, product: Product | None) -> Product | None:
    producer = producer_by_slug(form.producer.data)
    if producer is None:
        form.producer.errors = list(form.producer.errors) + [
            _("No producer has this web address name. Copy it from the producer's page.")]
        return None
    values = {**values_of(form, PRODUCT_FORM_FIELDS), "producer_id": producer.id}
    try:
        if product is None:
            return operations.create_product(values)
        return operations.update_product(product, values)
    except DomainError as error:
        attach_error(form, error)
        return None


@bp.route("/admin/products/new", methods=["GET", "POST"])
def new_product():
    form = ProductForm()
    if request.method == "GET":
        form.producer.data = request.args.get("producer", "")
        form.shippable.data = True
    if form.validate_on_submit():
        product = _save(form, None)
        if product is not None:
            flash(_("The product “%(name)s” was added.", name=product.name_vi), "success")
            return redirect(url_for("admin.product", product_id=product.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("admin/products/edit.html", form=form, product=None), status


@bp.route("/admin/products/<int:product_id>", methods=["GET", "POST"])
def product(product_id):
    product = product_or_404(product_id)
    form = ProductForm(obj=product)
    if request.method == "GET":
        form.producer.data = product.producer.slug
    if form.validate_on_submit():
        if _save(form, product) is not None:
            flash(_("The product was saved."), "success")
            return redirect(url_for("admin.product", product_id=product.id))
    return _render(form, product, status=400 if form.errors or form.form_errors else 200)


def _render(form, product, photo_form=None, status=200):
    return render_template("admin/products/edit.html", form=form, product=product,
                           photo_form=photo_form or PhotoForm(formdata=None), action_form=ActionForm(),
                           edit=operations.pending_edit(product), photos=photo_rows(operations.live_photos(product)),
                           add_endpoint="admin.add_product_photo", remove_endpoint="admin.remove_product_photo"), status


@bp.route("/admin/products/<int:product_id>/publish", methods=["POST"])
def publish_product(product_id):
    return _set_published(product_or_404(product_id), True)


@bp.route("/admin/products/<int:product_id>/unpublish", methods=["POST"])
def unpublish_product(product_id):
    return _set_published(product_or_404(product_id), False)


def _set_published(product: Product, published: bool):
    if not ActionForm().validate_on_submit():
        abort(400)
    operations.set_product_published(product, published)
    flash(_("The product is published: shoppers can see it.") if published
          else _("The product is hidden from the site."), "success")
    return redirect(url_for("admin.product", product_id=product.id))


@bp.route("/admin/products/<int:product_id>/photos", methods=["POST"])
def add_product_photo(product_id):
    product = product_or_404(product_id)
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            operations.add_product_photo(product, uploaded_photo(), form.alt_vi.data, form.alt_en.data,
                                         user=current_user, review=False)
        except DomainError as error:
            attach_photo_error(form, error)
        else:
            flash(_("The photo was added."), "success")
            return redirect(url_for("admin.product", product_id=product.id) + "#photos")
    return _render(ProductForm(obj=product, formdata=None, producer=product.producer.slug), product,
                   photo_form=form, status=400)


@bp.route("/admin/products/<int:product_id>/photos/<int:image_id>/remove", methods=["POST"])
def remove_product_photo(product_id, image_id):
    product = product_or_404(product_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.remove_product_photo(product, image_id, user=current_user, review=False)
    except DomainError:
        abort(404)
    flash(_("The photo was removed."), "success")
    return redirect(url_for("admin.product", product_id=product.id) + "#photos")
