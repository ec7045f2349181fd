"""Producer accounts: the OCOP office invites a producer's people by a one-time link to choose a password."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.accounts import operations
from storefront.accounts.models import Role, User
from storefront.accounts.views import public_url
from storefront.catalog.models import Producer
from storefront.errors import DomainError
from storefront.extensions import db

from . import navigation
from .forms import ActionForm, InviteForm, attach_error
from .paging import list_arguments, matching, paginate
from .views import bp

navigation.add(navigation.admin_nav, "admin.users", _l("Producer accounts"), 50)

SORTS = {"email": (User.email, User.id), "newest": (User.created_at.desc(), User.id.desc())}


def invite_link(token: str) -> str:
    return public_url("accounts.accept_invite", token=token)


def producer_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.PRODUCER:
        abort(404)
    return user


@bp.route("/admin/users")
def users():
    query, sort, page = list_arguments(SORTS, "email")
    statement = select(User).where(User.role == Role.PRODUCER).options(selectinload(User.producer))
    if query:
        statement = statement.where(matching(query, User.email, User.name))
    listed = paginate(statement.order_by(*SORTS[sort]), query, sort, page)
    return render_template("admin/users/list.html", listed=listed, action_form=ActionForm())


@bp.route("/admin/users/invite", methods=["GET", "POST"])
def invite_user():
    form = InviteForm()
    if request.method == "GET":
        form.producer.data = request.args.get("producer", "")
    if form.validate_on_submit():
        producer = db.session.scalar(select(Producer).where(Producer.slug == form.producer.data.strip()))
        if producer is None:
            form.producer.errors = list(form.producer.errors) + [
                _("No producer has this web address name. Copy it from the producer's page.")]
        else:
            try:
                user = operations.invite_producer_user(form.email.data, producer, form.name.data, invite_link)
            except DomainError as error:
                attach_error(form, error)
            else:
                flash(_("An invitation was sent to %(email)s. The link works once, within %(hours)s hours.",
                        email=user.email, hours=operations.invite_max_age_hours()), "success")
                return redirect(url_for("admin.users"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("admin/users/invite.html", form=form), status


@bp.route("/admin/users/<int:user_id>/reinvite", methods=["POST"])
def reinvite_user(user_id):
    user = producer_user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.resend_invite(user, invite_link)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("A new invitation was sent to %(email)s; earlier links no longer work.", email=user.email),
              "success")
    return redirect(url_for("admin.users"))


@bp.route("/admin/users/<int:user_id>/close", methods=["POST"])
def close_user(user_id):
    return _set_active(producer_user_or_404(user_id), False)


@bp.route("/admin/users/<int:user_id>/reopen", methods=["POST"])
def reopen_user(user_id):
    return _set_active(producer_user_or_404(user_id), True)


def _set_active(user, active):
    if not ActionForm().validate_on_submit():
        abort(400)
    if user.id == current_user.id:
        abort(400)
    operations.set_user_active(user, active)
    flash(_("The account of %(email)s is open again.", email=user.email) if active
          else _("The account of %(email)s is closed: it can no longer sign in.", email=user.email), "success")
    return redirect(url_for("admin.users"))
