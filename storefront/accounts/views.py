"""Sign in, register, sign out and the account page, for shoppers, producers and the OCOP office."""
import math
import unicodedata
from urllib.parse import urlsplit

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from .. import ratelimit
from ..errors import DomainError
from ..i18n import LocalizedBlueprint
from ..orders.queries import orders_of_user
from ..orders.workflow import STATUS_NAMES
from . import operations, second_factor
from .devices import describe_device
from .forms import (ChoosePasswordForm, CodeForm, ConfirmPasswordForm, EmailChangeForm, EnrolForm,
                    ForgotPasswordForm, PasswordChangeForm, ProfileForm, RegisterForm, SignInForm)
from .login import (code_attempt_device, end_pending_sign_in, enrolment_secret, forget_enrolment_secret, known_device,
                    pending_marker, pending_user, remember_device, sign_in_user, sign_out_everywhere,
                    sign_out_user, start_pending_sign_in)
from .models import Role
from .queries import live_sessions_of, token_hash

bp = LocalizedBlueprint("accounts", __name__)

REGISTRATIONS_PER_ADDRESS_PER_HOUR = 10
RESET_REQUESTS_PER_ADDRESS_PER_HOUR = 10
LINK_CHECKS_PER_ADDRESS_PER_HOUR = 60
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
    if user.is_office:
        return url_for("admin.dashboard")
    if user.role == Role.PRODUCER:
        return url_for("producer.dashboard")
    return url_for("accounts.account")


def public_url(endpoint: str, **values) -> str:
    """An absolute address to put in an e-mail: on PUBLIC_BASE_URL when it is set, so that a forged Host
    header cannot point a password link at another site."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def account_links() -> dict:
    """The links the accounts' e-mails carry, in the visitor's language."""
    return {"confirm": lambda token: public_url("accounts.confirm_email", token=token),
            "reset": lambda token: public_url("accounts.reset_password", token=token),
            "confirm_email_change": lambda token: public_url("accounts.confirm_email_change", token=token),
            "sign_in": lambda: public_url("accounts.sign_in"),
            "forgot": lambda: public_url("accounts.forgot_password")}


def _attach(form, error: DomainError) -> None:
    name = getattr(error, "field", None)
    if name and name in form and name != "csrf_token":
        form[name].errors = [*form[name].errors, str(error)]
    else:
        form.form_errors.append(str(error))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(safe_next(home_for(current_user)))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = operations.attempt_sign_in(form.email.data, form.password.data, known_device(),
                                              request.remote_addr or "")
        except operations.SignInRefused as refused:
            minutes = max(1, math.ceil(refused.wait_seconds / 60))
            form.form_errors.append(ngettext("Too many sign-in attempts. Please wait %(num)s minute and try again.",
                                             "Too many sign-in attempts. Please wait %(num)s minutes and try again.",
                                             minutes))
            response = make_response(render_template("storefront/accounts/sign_in.html", form=form), 429)
            response.headers["Retry-After"] = str(refused.wait_seconds)
            return response
        if user is None:
            form.form_errors.append(_("The email or password is not right."))
            return render_template("storefront/accounts/sign_in.html", form=form), 401
        remember_device(user)
        if user.email_confirmed_at is None:
            operations.resend_confirmation(user, account_links())
            flash(_("Confirm your email address first: follow the link in the message we sent you."), "error")
            return redirect(url_for("accounts.registered"))
        return after_password(user, form.remember.data, safe_next(home_for(user)))
    status = 400 if form.errors else 200
    return render_template("storefront/accounts/sign_in.html", form=form), status


def after_password(user, remember: bool = False, target: str | None = None):
    """The password (or a one-time link) proved who this is: sign in, or first ask for the second factor,
    or first set one up when the account must have one (see second_factor.py)."""
    target = target or home_for(user)
    if second_factor.has_second_factor(user):
        start_pending_sign_in(user, remember, target)
        return redirect(url_for("accounts.sign_in_code"))
    if user.needs_second_factor:
        start_pending_sign_in(user, remember, target)
        return redirect(url_for("accounts.second_factor_setup"))
    sign_in_user(user, remember=remember)
    return redirect(target)


def _pending_target(marker) -> str:
    target = marker.get("next")
    return target if is_local_path(target) else url_for("accounts.account")


def _pending_expired():
    """The code page without a password step behind it: expired, forged, or the password changed since."""
    end_pending_sign_in()
    return render_template("storefront/accounts/invite_invalid.html", title=_("Sign in again"), message=_(
        "This step of signing in has expired or cannot be used. Sign in again with your email and password.")), 410


@bp.route("/sign-in/code", methods=["GET", "POST"])
def sign_in_code():
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    marker = pending_marker()
    if marker is None:
        return _pending_expired()
    form = CodeForm()
    recovery = request.values.get("recovery") == "1"
    if form.validate_on_submit():
        device_id = code_attempt_device(marker)
        try:  # counted before any query of this request's own (see guessing.py)
            second_factor.take_code_attempt(marker["user"], device_id)
        except second_factor.CodeThrottled as refused:
            minutes = max(1, math.ceil(refused.wait_seconds / 60))
            form.code.errors = [*form.code.errors, ngettext(
                "Too many wrong codes. Please wait %(num)s minute and try again.",
                "Too many wrong codes. Please wait %(num)s minutes and try again.", minutes)]
            response = _private(render_template("storefront/accounts/sign_in_code.html", form=form,
                                                recovery=recovery), 429)
            response.headers["Retry-After"] = str(refused.wait_seconds)
            return response
        user = pending_user(marker)
        if user is None:
            return _pending_expired()
        try:
            kind = second_factor.verify(user, form.code.data, device_id)
        except DomainError as error:
            _attach(form, error)
            return _private(render_template("storefront/accounts/sign_in_code.html", form=form,
                                            recovery=recovery), 401)
        end_pending_sign_in()
        sign_in_user(user, remember=bool(marker.get("remember")))
        remember_device(user, passed_second_factor=True)
        if kind == "recovery":
            left = second_factor.recovery_codes_left(user)
            flash(ngettext("You signed in with a recovery code: %(num)s is left. If your phone is lost, set up "
                           "the second factor again on a new one.",
                           "You signed in with a recovery code: %(num)s are left. If your phone is lost, set up "
                           "the second factor again on a new one.", left), "success")
        return redirect(_pending_target(marker))
    if request.method == "GET" and pending_user(marker) is None:
        return _pending_expired()
    return _private(render_template("storefront/accounts/sign_in_code.html", form=form, recovery=recovery),
                    400 if form.errors else 200)


def _enrolling_user():
    """Who sets a second factor up here: the signed-in owner, or an office account between its password
    and its first sign-in (it must set one up to be signed in at all)."""
    if current_user.is_authenticated:
        return current_user._get_current_object(), None
    marker = pending_marker()
    user = pending_user(marker)
    if user is None or second_factor.has_second_factor(user):
        return None, None
    return user, marker


@bp.route("/account/second-factor")
def second_factor_page():
    user = current_user._get_current_object()
    factor = second_factor.factor_of(user)
    return _private(render_template(
        "storefront/accounts/second_factor.html", factor=factor,
        codes_left=second_factor.recovery_codes_left(user) if factor else 0,
        password_form=ConfirmPasswordForm(formdata=None)), 200)


@bp.route("/account/second-factor/setup", methods=["GET", "POST"])
def second_factor_setup():
    """Set up (or move to a new phone) the authenticator app: scan the QR code or type the secret, then
    prove it with a first code. The recovery codes are shown once, on the answer."""
    user, marker = _enrolling_user()
    if user is None:
        if pending_marker() is not None or request.method == "POST":
            return _pending_expired()
        return redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?")))
    replacing = marker is None and second_factor.has_second_factor(user)
    secret = enrolment_secret(user, second_factor.new_secret)
    form = EnrolForm()
    status = 200
    if form.validate_on_submit():
        try:
            if replacing:
                operations.check_current_password(user, form.current_password.data or "")
            codes = second_factor.enrol(user, secret, form.code.data)
        except DomainError as error:
            _attach(form, error)
            status = _refusal_status(error)
        else:
            forget_enrolment_secret()
            if marker is not None:
                end_pending_sign_in()
                sign_in_user(user, remember=bool(marker.get("remember")))
            remember_device(user, passed_second_factor=True)
            if replacing:  # the old phone's codes no longer work; sessions elsewhere may be the finder's
                operations.end_all_sessions(user, except_current=True)
            return _private(render_template("storefront/accounts/recovery_codes.html", codes=codes,
                                            next_url=_pending_target(marker) if marker else
                                            url_for("accounts.second_factor_page"), enrolled=True), 200)
    elif form.errors:
        status = 400
    uri = second_factor.provisioning_uri(user, secret)
    return _private(render_template("storefront/accounts/second_factor_setup.html", form=form, replacing=replacing,
                                    qr=second_factor.qr_svg(uri), uri=uri, secret=second_factor.grouped(secret),
                                    required=user.needs_second_factor, pending=marker is not None), status)


def _with_password(action):
    """Run `action(user)` once the current password is confirmed; the second factor page with the refusal
    otherwise."""
    user = current_user._get_current_object()
    form = ConfirmPasswordForm()
    if form.validate_on_submit():
        try:
            operations.check_current_password(user, form.current_password.data)
            return action(user)
        except DomainError as error:
            _attach(form, error)
            status = 403 if isinstance(error, second_factor.TurnOffRefused) else _refusal_status(error)
    else:
        status = 400
    factor = second_factor.factor_of(user)
    return _private(render_template("storefront/accounts/second_factor.html", factor=factor,
                                    codes_left=second_factor.recovery_codes_left(user) if factor else 0,
                                    password_form=form), status)


@bp.route("/account/second-factor/recovery-codes", methods=["POST"])
def new_recovery_codes():
    def regenerate(user):
        codes = second_factor.regenerate_recovery_codes(user)
        return _private(render_template("storefront/accounts/recovery_codes.html", codes=codes, enrolled=False,
                                        next_url=url_for("accounts.second_factor_page")), 200)
    return _with_password(regenerate)


@bp.route("/account/second-factor/turn-off", methods=["POST"])
def turn_off_second_factor():
    def turn_off(user):
        second_factor.turn_off(user)
        flash(_("The second factor is off. Signing in asks only for your password."), "success")
        return redirect(url_for("accounts.second_factor_page"), 303)
    return _with_password(turn_off)


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = RegisterForm()
    if form.validate_on_submit():
        if not ratelimit.hit("register", request.remote_addr or "-", REGISTRATIONS_PER_ADDRESS_PER_HOUR, 3600):
            form.form_errors.append(_("Too many accounts were created from this address. Please try again later."))
            return render_template("storefront/accounts/register.html", form=form), 429
        try:
            operations.register_customer(form.email.data, form.password.data, form.name.data, account_links(),
                                         phone=form.phone.data)
        except DomainError as error:
            _attach(form, error)
            return render_template("storefront/accounts/register.html", form=form), 400
        # The same answer whether the address already had an account or not: only its owner's mail differs.
        return redirect(url_for("accounts.registered"))
    status = 400 if form.errors else 200
    return render_template("storefront/accounts/register.html", form=form), status


@bp.route("/register/sent")
def registered():
    return render_template("storefront/accounts/check_email.html", title=_("Check your email"), message=_(
        "We sent a message to the address you gave. Follow its link within %(hours)s hours to finish "
        "creating your account. Nothing after a few minutes? Look in the spam folder.",
        hours=operations.CONFIRM_MAX_AGE_HOURS))


@bp.route("/register/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token):
    """The link of the confirmation e-mail: a button confirms (a mail scanner that opens links confirms
    nothing, and is signed in nowhere)."""
    refused = _refuse_link_guessing()
    if refused:
        return refused
    try:
        user = operations.user_for_confirmation(token)
    except operations.InviteInvalid as error:
        return render_template("storefront/accounts/invite_invalid.html", message=str(error)), 410
    form = FlaskForm()
    if form.validate_on_submit():
        user = operations.confirm_email(token)
        sign_in_user(user)
        remember_device(user)
        flash(_("Welcome! Your account is ready."), "success")
        return redirect(url_for("accounts.account"))
    return _private(render_template("storefront/accounts/confirm_email.html", form=form, user=user),
                    400 if form.errors else 200)


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        if not ratelimit.hit("password-reset", request.remote_addr or "-", RESET_REQUESTS_PER_ADDRESS_PER_HOUR,
                             3600):
            form.form_errors.append(_("Too many attempts. Please try again later."))
            return render_template("storefront/accounts/forgot_password.html", form=form), 429
        operations.request_password_reset(form.email.data, account_links())
        return redirect(url_for("accounts.reset_sent"))
    status = 400 if form.errors else 200
    return render_template("storefront/accounts/forgot_password.html", form=form), status


@bp.route("/forgot-password/sent")
def reset_sent():
    return render_template("storefront/accounts/check_email.html", title=_("Check your email"), message=_(
        "If an account uses this address, we sent it a link to choose a new password. The link works once, "
        "%(within)s. Nothing after a few minutes? Look in the spam folder.",
        within=operations.reset_link_lifetime()))


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    end_pending_sign_in()
    sign_out_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("site.home"))


@bp.route("/account/sign-out-everywhere", methods=["POST"])
def sign_out_everywhere_view():
    sign_out_everywhere()
    flash(_("You are signed out on every device, this one included."), "success")
    return redirect(url_for("site.home"))


@bp.route("/account")
def account():
    return _account_page()


def _account_page(status: int = 200, **forms):
    """The account page; `forms` holds the one form that was sent back with its errors (status 400)."""
    user = current_user._get_current_object()
    forms.setdefault("profile_form", ProfileForm(formdata=None, prefix="profile", name=user.name,
                                                 phone=user.phone or ""))
    forms.setdefault("email_form", EmailChangeForm(formdata=None, prefix="email"))
    forms.setdefault("password_form", PasswordChangeForm(formdata=None, prefix="password"))
    current_hash = token_hash(user.session_token) if user.session_token else None
    body = render_template(
        "storefront/accounts/account.html", orders=orders_of_user(user.id), status_names=STATUS_NAMES,
        sessions=live_sessions_of(user.id), current_session_hash=current_hash, describe_device=describe_device,
        pending_email_change=operations.pending_email_change(user), **forms)
    return _private(body, status)


def _refusal_status(error: DomainError) -> int:
    return 429 if isinstance(error, operations.TooManyAttempts) else 400


def _joined_message(joined) -> None:
    if joined:
        flash(ngettext("%(num)s earlier order placed with this email and phone is now in your account.",
                       "%(num)s earlier orders placed with this email and phone are now in your account.",
                       len(joined)), "success")


@bp.route("/account/profile", methods=["POST"])
def update_profile():
    form = ProfileForm(prefix="profile")
    if form.validate_on_submit():
        try:
            joined = operations.update_profile(current_user._get_current_object(), form.name.data, form.phone.data)
        except DomainError as error:
            _attach(form, error)
        else:
            flash(_("Your name and phone number are saved."), "success")
            _joined_message(joined)
            return redirect(url_for("accounts.account"), 303)
    return _account_page(400, profile_form=form)


@bp.route("/account/email", methods=["POST"])
def change_email():
    form = EmailChangeForm(prefix="email")
    if form.validate_on_submit():
        try:
            new_email = operations.request_email_change(current_user._get_current_object(), form.email.data,
                                                        form.password.data, account_links())
        except DomainError as error:
            _attach(form, error)
            return _account_page(_refusal_status(error), email_form=form)
        # The same answer whether another account uses the address or not: only that address's owner is told.
        flash(_("We sent a link to %(email)s. Your address changes when you follow it, within %(hours)s hours; "
                "until then you keep using the current one.", email=new_email,
                hours=operations.EMAIL_CHANGE_MAX_AGE_HOURS), "success")
        return redirect(url_for("accounts.account"), 303)
    return _account_page(400, email_form=form)


@bp.route("/account/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email_change(token):
    """The link sent to a new address: a button applies the change (a mail scanner that opens links
    changes nothing)."""
    refused = _refuse_link_guessing()
    if refused:
        return refused
    try:
        change = operations.email_change_for(token)
    except operations.InviteInvalid as error:
        return render_template("storefront/accounts/invite_invalid.html", message=str(error)), 410
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            user, joined = operations.confirm_email_change(token)
        except operations.InviteInvalid as error:
            return render_template("storefront/accounts/invite_invalid.html", message=str(error)), 410
        flash(_("Your email address is now %(email)s.", email=user.email), "success")
        _joined_message(joined)
        if current_user.is_authenticated and current_user.id == user.id:
            return redirect(url_for("accounts.account"), 303)
        return redirect(url_for("accounts.sign_in"), 303)
    return _private(render_template("storefront/accounts/confirm_email_change.html", form=form, change=change),
                    400 if form.errors else 200)


@bp.route("/account/password", methods=["POST"])
def change_password():
    form = PasswordChangeForm(prefix="password")
    if form.validate_on_submit():
        try:
            operations.change_own_password(current_user._get_current_object(), form.current_password.data,
                                           form.password.data, account_links())
        except DomainError as error:
            _attach(form, error)
            return _account_page(_refusal_status(error), password_form=form)
        else:
            flash(_("Your new password is saved. Every other device was signed out; this one stays signed in."),
                  "success")
            return redirect(url_for("accounts.account"), 303)
    return _account_page(400, password_form=form)


def _refuse_link_guessing():
    if not ratelimit.hit("invite", request.remote_addr or "-", LINK_CHECKS_PER_ADDRESS_PER_HOUR, 3600):
        return render_template("storefront/accounts/invite_invalid.html",
                               message=_("Too many attempts. Please try again later.")), 429
    return None


def _private(body: str, status: int):
    response = make_response(body, status)
    # The token in the address is a key: never kept by a cache, never sent on to another site.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _choose_password(token, user_for_token, choose, purpose: str, welcome: str):
    """A one-time link's page: choose a password (see storefront.accounts.passwords), and be signed in."""
    refused = _refuse_link_guessing()
    if refused:
        return refused
    try:
        user = user_for_token(token)
    except operations.InviteInvalid as error:
        return render_template("storefront/accounts/invite_invalid.html", message=str(error)), 410
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            user = choose(token, form.password.data)
        except operations.InviteInvalid as error:  # the same link, used by another request meanwhile
            return render_template("storefront/accounts/invite_invalid.html", message=str(error)), 410
        except DomainError as error:
            form.password.errors = [*form.password.errors, str(error)]
        else:
            remember_device(user)
            flash(welcome, "success")
            return after_password(user)
    return _private(render_template("storefront/accounts/choose_password.html", form=form, user=user,
                                    purpose=purpose), 400 if form.errors else 200)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def accept_invite(token):
    """A producer account's one-time link: choose a password, and be signed in."""
    return _choose_password(token, operations.user_for_invite, operations.accept_invite, "invite",
                            _("Your password is set. Welcome to your workspace."))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token):
    """The link of a password-reset e-mail: choose a new password; every other session of the account ends."""
    return _choose_password(token, operations.user_for_reset, operations.reset_password, "reset",
                            _("Your new password is set, and you are signed in. Every other device was signed out."))
