"""A producer's own profile: contact details and story (name, kind and place are the OCOP office's)."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from storefront.catalog import operations
from storefront.catalog.operations import PRODUCER_PROFILE_FIELDS
from storefront.errors import DomainError

from . import navigation
from .forms import ProducerProfileForm, attach_error, values_of
from .workspace import bp

navigation.add(navigation.producer_nav, "producer.profile", _l("Your profile"), 30)


@bp.route("/producer/profile", methods=["GET", "POST"])
def profile():
    producer = current_user.producer
    form = ProducerProfileForm(obj=producer)
    if form.validate_on_submit():
        try:
            operations.update_producer_profile(producer, values_of(form, PRODUCER_PROFILE_FIELDS))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("producer.profile"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("producer/profile.html", form=form, producer=producer), status
