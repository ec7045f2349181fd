"""The moderation queue: producers' changes to published listings, approved or refused by the OCOP office."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.accounts.models import User
from storefront.catalog import operations
from storefront.catalog.models import REVIEWED_TEXT_FIELDS, EditStatus, ListingEdit, Product
from storefront.errors import DomainError
from storefront.extensions import db

from . import navigation
from .forms import ActionForm, RejectForm, attach_error
from .paging import list_arguments, paginate
from .uploads import photo_rows
from .views import bp

navigation.add(navigation.admin_nav, "admin.moderation", _l("Changes to review"), 15)

SORTS = {"oldest": (ListingEdit.updated_at, ListingEdit.id)}


def edit_or_404(edit_id: int) -> ListingEdit:
    edit = db.session.get(ListingEdit, edit_id)
    if edit is None:
        abort(404)
    return edit


@bp.route("/admin/moderation")
def moderation():
    query, sort, page = list_arguments(SORTS, "oldest")
    statement = (select(ListingEdit).where(ListingEdit.status == EditStatus.PENDING)
                 .options(selectinload(ListingEdit.product).selectinload(Product.producer)))
    listed = paginate(statement.order_by(*SORTS[sort]), query, sort, page)
    return render_template("admin/moderation/list.html", listed=listed)


def _render(edit, reject_form, status=200):
    product = edit.product
    proposer = db.session.get(User, edit.proposed_by_id) if edit.proposed_by_id else None
    rows = [(name, edit.before.get(name, getattr(product, name)) if edit.status != EditStatus.PENDING
             else getattr(product, name), edit.text[name]) for name in REVIEWED_TEXT_FIELDS if name in edit.text]
    return render_template(
        "admin/moderation/edit.html", edit=edit, product=product, rows=rows, proposer=proposer,
        live_photos=photo_rows(operations.live_photos(product) if edit.status == EditStatus.PENDING
                               else edit.before.get("photos")),
        new_photos=photo_rows(edit.photos), action_form=ActionForm(), reject_form=reject_form), status


@bp.route("/admin/moderation/<int:edit_id>")
def listing_edit(edit_id):
    return _render(edit_or_404(edit_id), RejectForm(formdata=None))


@bp.route("/admin/moderation/<int:edit_id>/approve", methods=["POST"])
def approve_edit(edit_id):
    edit = edit_or_404(edit_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.approve_listing_edit(edit, user=current_user)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.listing_edit", edit_id=edit.id))
    flash(_("The change to “%(name)s” is live.", name=edit.product.name_vi), "success")
    return redirect(url_for("admin.moderation"))


@bp.route("/admin/moderation/<int:edit_id>/reject", methods=["POST"])
def reject_edit(edit_id):
    edit = edit_or_404(edit_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            operations.reject_listing_edit(edit, form.reason.data, user=current_user)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("The change was refused; the producer is told why."), "success")
            return redirect(url_for("admin.moderation"))
    return _render(edit, form, 400)
