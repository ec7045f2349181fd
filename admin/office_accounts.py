"""The office's own accounts: administrators invite colleagues with a role, change roles, close accounts."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from storefront.accounts import operations
from storefront.accounts.models import OFFICE_ROLES, Role, SecondFactor, User, UserSession
from storefront.accounts.views import public_url
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.labels import ROLE_NAMES

from . import navigation
from .forms import ActionForm, OfficeInviteForm, OfficeRoleForm, attach_error
from .paging import list_arguments, matching, paginate
from .views import bp

navigation.add(navigation.admin_nav, "admin.office_accounts", _l("Office accounts"), 55)

SORTS = {"email": (User.email, User.id), "role": (User.role, User.email), "newest": (User.created_at.desc(), User.id.desc())}


def office_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not user.is_office:
        abort(404)
    return user


def invite_link(token: str) -> str:
    return public_url("accounts.accept_invite", token=token)


@bp.route("/admin/office-accounts")
def office_accounts():
    query, sort, page = list_arguments(SORTS, "email")
    statement = select(User).where(User.role.in_(OFFICE_ROLES))
    if query:
        statement = statement.where(matching(query, User.email, User.name))
    listed = paginate(statement.order_by(*SORTS[sort]), query, sort, page)
    last_seen = dict(db.session.execute(
        select(UserSession.user_id, func.max(UserSession.last_seen_at))
        .where(UserSession.user_id.in_([user.id for user in listed.items])).group_by(UserSession.user_id)).all())
    second_factors = dict(db.session.execute(
        select(SecondFactor.user_id, SecondFactor.enrolled_at)
        .where(SecondFactor.user_id.in_([user.id for user in listed.items]))).all())
    role_forms = {user.id: OfficeRoleForm(formdata=None, role=user.role.value, prefix=f"user-{user.id}")
                  for user in listed.items}
    return render_template("admin/office_accounts/list.html", listed=listed, last_seen=last_seen,
                           second_factors=second_factors, role_forms=role_forms, action_form=ActionForm())


@bp.route("/admin/office-accounts/invite", methods=["GET", "POST"])
def invite_office_account():
    form = OfficeInviteForm()
    if form.validate_on_submit():
        try:
            user = operations.invite_office_user(form.email.data, Role(form.role.data), form.name.data,
                                                 invite_link)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("An invitation was sent to %(email)s. The link works once, within %(hours)s hours.",
                    email=user.email, hours=operations.invite_max_age_hours()), "success")
            return redirect(url_for("admin.office_accounts"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("admin/office_accounts/invite.html", form=form), status


def _refused(error: DomainError):
    flash(str(error), "error")
    return redirect(url_for("admin.office_accounts"), 303)


@bp.route("/admin/office-accounts/<int:user_id>/role", methods=["POST"])
def change_office_role(user_id):
    user = office_user_or_404(user_id)
    form = OfficeRoleForm(prefix=f"user-{user.id}")
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _refused(DomainError(_("Choose one of the office's roles.")))
    try:
        operations.change_office_role(user, Role(form.role.data), current_user)
    except DomainError as error:
        return _refused(error)
    flash(_("%(email)s is now %(role)s.", email=user.email, role=ROLE_NAMES[user.role]), "success")
    return redirect(url_for("admin.office_accounts"))


@bp.route("/admin/office-accounts/<int:user_id>/close", methods=["POST"])
def close_office_account(user_id):
    return _set_active(office_user_or_404(user_id), False)


@bp.route("/admin/office-accounts/<int:user_id>/reopen", methods=["POST"])
def reopen_office_account(user_id):
    return _set_active(office_user_or_404(user_id), True)


def _set_active(user: User, active: bool):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.set_office_account_active(user, active, current_user)
    except DomainError as error:
        return _refused(error)
    flash(_("The account of %(email)s is open again.", email=user.email) if active
          else _("The account of %(email)s is closed: it can no longer sign in.", email=user.email), "success")
    return redirect(url_for("admin.office_accounts"))


@bp.route("/admin/office-accounts/<int:user_id>/reinvite", methods=["POST"])
def reinvite_office_account(user_id):
    user = office_user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.resend_invite(user, invite_link, acting=current_user)
    except DomainError as error:
        return _refused(error)
    flash(_("A new invitation was sent to %(email)s; earlier links no longer work.", email=user.email), "success")
    return redirect(url_for("admin.office_accounts"))
