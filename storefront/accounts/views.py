"""Sign in, register, sign out and the account page, for shoppers, producers and the OCOP office."""
import unicodedata
from urllib.parse import urlsplit

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import ratelimit
from ..i18n import LocalizedBlueprint
from ..orders.queries import orders_of_user
from ..orders.workflow import STATUS_NAMES
from ..errors import DomainError
from .login import sign_in_user, sign_out_everywhere, sign_out_user
from .forms import ChoosePasswordForm, RegisterForm, SignInForm
from .models import Role
from .operations import InviteInvalid, accept_invite as accept_invite_token, authenticate, create_user, find_user, \
    user_for_invite

bp = LocalizedBlueprint("accounts", __name__)

REGISTRATIONS_PER_ADDRESS_PER_HOUR = 10
# Longer than any page of the shop; the sign-in page carries `next` in a hidden field cut at 500.
MAX_NEXT_LENGTH = 500


def is_local_path(target: str) -> bool:
    """A path on this site and nothing else: one leading "/", no scheme or host, no backslash (browsers read
    it as "/"), no control, invisible or white-space character (browsers drop some, headers refuse others)."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//") \
            or len(target) > MAX_NEXT_LENGTH or "\\" in target:
        return False
    if any(character.isspace() or unicodedata.category(character)[0] == "C" for character in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(default: str) -> str:
    """Where to go after signing in: the `next` parameter when it is a path on this site, else `default`."""
    target = request.values.get("next", "")
    return target if is_local_path(target) else default


def home_for(user) -> str:
    if user.role == Role.ADMIN:
        return url_for("admin.dashboard")
    if user.role == Role.PRODUCER:
        return url_for("producer.dashboard")
    return url_for("accounts.account")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(safe_next(home_for(current_user)))
    form = SignInForm()
    if form.validate_on_submit():
        config = current_app.config
        window = config["SIGN_IN_WINDOW_SECONDS"]
        email = form.email.data.strip().lower()
        allowed = ratelimit.hit("sign-in-address", request.remote_addr or "-",
                                config["SIGN_IN_LIMIT_PER_ADDRESS"], window)
        allowed = ratelimit.hit("sign-in-account", email, config["SIGN_IN_LIMIT_PER_ACCOUNT"], window) and allowed
        if not allowed:
            form.form_errors.append(_("Too many sign-in attempts. Please wait %(minutes)s minutes and try again.",
                                      minutes=window // 60))
            return render_template("storefront/accounts/sign_in.html", form=form), 429
        user = authenticate(email, form.password.data)
        if user is None:
            form.form_errors.append(_("The email or password is not right."))
            return render_template("storefront/accounts/sign_in.html", form=form), 401
        sign_in_user(user, remember=form.remember.data)
        return redirect(safe_next(home_for(user)))
    status = 400 if form.errors else 200
    return render_template("storefront/accounts/sign_in.html", form=form), status


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = RegisterForm()
    if form.validate_on_submit():
        if not ratelimit.hit("register", request.remote_addr or "-", REGISTRATIONS_PER_ADDRESS_PER_HOUR, 3600):
            form.form_errors.append(_("Too many accounts were created from this address. Please try again later."))
            return render_template("storefront/accounts/register.html", form=form), 429
        if find_user(form.email.data) is not None:
            form.email.errors.append(_("An account with this email already exists. Sign in instead."))
            return render_template("storefront/accounts/register.html", form=form), 409
        user = create_user(form.email.data, form.password.data, Role.CUSTOMER, name=form.name.data.strip())
        sign_in_user(user)
        flash(_("Welcome! Your account is ready."), "success")
        return redirect(safe_next(url_for("accounts.account")))
    status = 400 if form.errors else 200
    return render_template("storefront/accounts/register.html", form=form), status


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    sign_out_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("site.home"))


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere_view():
    sign_out_everywhere()
    flash(_("You are signed out on every device, this one included."), "success")
    return redirect(url_for("site.home"))


@bp.route("/account")
@login_required
def account():
    return render_template("storefront/accounts/account.html", orders=orders_of_user(current_user.id),
                           status_names=STATUS_NAMES)


INVITE_CHECKS_PER_ADDRESS_PER_HOUR = 60


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def accept_invite(token):
    """A producer account's one-time link: choose a password, and be signed in."""
    if not ratelimit.hit("invite", request.remote_addr or "-", INVITE_CHECKS_PER_ADDRESS_PER_HOUR, 3600):
        return render_template("storefront/accounts/invite_invalid.html",
                               message=_("Too many attempts. Please try again later.")), 429
    try:
        user = user_for_invite(token)
    except InviteInvalid as error:
        return render_template("storefront/accounts/invite_invalid.html", message=str(error)), 410
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            user = accept_invite_token(token, form.password.data)
        except DomainError as error:
            form.password.errors = list(form.password.errors) + [str(error)]
        else:
            sign_in_user(user)
            flash(_("Your password is set. Welcome to your workspace."), "success")
            return redirect(home_for(user))
    status = 400 if form.errors else 200
    response = make_response(render_template("storefront/accounts/choose_password.html", form=form, user=user),
                             status)
    # The token is a key: never kept by a cache, never sent on to another site.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
