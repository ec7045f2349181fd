"""Second factors of the office's and the producers' accounts: who has one, and a reset for a colleague who
lost the phone and the recovery codes (storefront.accounts.second_factor does the reset and audits it)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField

from storefront.accounts import second_factor
from storefront.accounts.models import OFFICE_ROLES, RecoveryCode, Role, SecondFactor, User
from storefront.errors import DomainError
from storefront.extensions import db

from . import navigation
from .views import bp

navigation.add(navigation.admin_nav, "admin.second_factors", _l("Second factors"), 56)


class ResetForm(FlaskForm):
    confirm = BooleanField(_l("I made sure the person who asked is this account's owner"))


def _accounts():
    factors = dict(db.session.execute(select(SecondFactor.user_id, SecondFactor.enrolled_at)).all())
    left = {}
    for user_id in db.session.scalars(select(RecoveryCode.user_id).where(RecoveryCode.used_at.is_(None))):
        left[user_id] = left.get(user_id, 0) + 1
    users = db.session.scalars(select(User).where(User.role.in_([*OFFICE_ROLES, Role.PRODUCER]))
                               .order_by(User.role, User.email)).all()
    return [(user, factors.get(user.id), left.get(user.id, 0)) for user in users]


def _page(form=None, status=200, failed_user_id=None):
    return render_template("admin/second_factors.html", accounts=_accounts(), form=form or ResetForm(formdata=None),
                           failed_user_id=failed_user_id), status


@bp.route("/admin/second-factors")
def second_factors():
    return _page()


@bp.route("/admin/users/<int:user_id>/second-factor/reset", methods=["POST"])
def reset_second_factor(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    form = ResetForm()
    if not form.validate_on_submit():
        return _page(form, 400, user_id)
    if not form.confirm.data:
        form.confirm.errors = [_("Tick the box to confirm that you checked who asked.")]
        return _page(form, 400, user_id)
    try:
        second_factor.reset(user, current_user._get_current_object())
    except DomainError as error:
        form.form_errors.append(str(error))
        return _page(form, 403 if user.id == current_user.id else 409, user_id)
    flash(_("The second factor of %(email)s is reset and every session of the account ended. It sets a new "
            "one up at its next sign-in.", email=user.email), "success")
    return redirect(url_for("admin.second_factors"), 303)
