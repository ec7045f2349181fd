"""A producer's own products: price and stock apply at once; text and photos of a published product
wait for the OCOP office's review (LISTING_EDITS_NEED_REVIEW), and the live listing keeps its approved
version meanwhile. Another producer's product is a 404, whatever the method."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from storefront.catalog import operations
from storefront.catalog.models import REVIEWED_TEXT_FIELDS, Product
from storefront.errors import DomainError
from storefront.extensions import db

from .forms import ActionForm, ListingTextForm, PhotoForm, PriceStockForm, attach_error
from .uploads import attach_photo_error, photo_rows, uploaded_photo
from .workspace import bp


def own_product_or_404(product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None or product.producer_id != current_user.producer_id:
        abort(404)
    return product


def _render(product, price_form=None, text_form=None, photo_form=None, status=200):
    edit = operations.pending_edit(product)
    if text_form is None:  # the pending change, or the refused one to amend, else the live text
        text_form = ListingTextForm(formdata=None, data=operations.proposed_text(product))
    return render_template(
        "producer/product.html", product=product, edit=edit,
        refusal=None if edit else operations.refused_draft(product),
        needs_review=operations.edits_need_review(product),
        price_form=price_form or PriceStockForm(formdata=None, obj=product), text_form=text_form,
        photo_form=photo_form or PhotoForm(formdata=None), action_form=ActionForm(),
        photos=photo_rows(operations.proposed_photos(product))), status


@bp.route("/producer/products/<int:product_id>")
def product(product_id):
    return _render(own_product_or_404(product_id))


@bp.route("/producer/products/<int:product_id>/price-stock", methods=["POST"])
def price_stock(product_id):
    product = own_product_or_404(product_id)
    form = PriceStockForm()
    if form.validate_on_submit():
        try:
            operations.set_price_and_stock(product, form.price.data, form.stock.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Price and stock are saved; shoppers see them now."), "success")
            return redirect(url_for("producer.product", product_id=product.id))
    return _render(product, price_form=form, status=400)


@bp.route("/producer/products/<int:product_id>/text", methods=["POST"])
def listing_text(product_id):
    product = own_product_or_404(product_id)
    form = ListingTextForm()
    if form.validate_on_submit():
        try:
            edit = operations.propose_listing_edit(
                product, {name: form[name].data for name in REVIEWED_TEXT_FIELDS}, user=current_user)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Your change is sent to the OCOP office. Shoppers see it once it is approved.") if edit
                  else _("Your change is saved."), "success")
            return redirect(url_for("producer.product", product_id=product.id))
    return _render(product, text_form=form, status=400)


@bp.route("/producer/products/<int:product_id>/draft/discard", methods=["POST"])
def discard_draft(product_id):
    product = own_product_or_404(product_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.discard_refused_draft(product, user=current_user)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("The refused change is discarded: the form shows the listing as shoppers see it."), "success")
    return redirect(url_for("producer.product", product_id=product.id))


@bp.route("/producer/products/<int:product_id>/photos", methods=["POST"])
def add_photo(product_id):
    product = own_product_or_404(product_id)
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            edit = operations.add_product_photo(product, uploaded_photo(), form.alt_vi.data, form.alt_en.data,
                                                user=current_user)
        except DomainError as error:
            attach_photo_error(form, error)
        else:
            flash(_("The photo is sent to the OCOP office. Shoppers see it once it is approved.") if edit
                  else _("The photo was added."), "success")
            return redirect(url_for("producer.product", product_id=product.id) + "#photos")
    return _render(product, photo_form=form, status=400)


@bp.route("/producer/products/<int:product_id>/photos/<int:image_id>/remove", methods=["POST"])
def remove_photo(product_id, image_id):
    product = own_product_or_404(product_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        edit = operations.remove_product_photo(product, image_id, user=current_user)
    except DomainError:
        abort(404)
    flash(_("Removing the photo is sent to the OCOP office.") if edit else _("The photo was removed."), "success")
    return redirect(url_for("producer.product", product_id=product.id) + "#photos")
