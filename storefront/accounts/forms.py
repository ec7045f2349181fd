import re

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from .operations import EMAIL_PATTERN
from .passwords import MAX_PASSWORD_LENGTH

# What no person types into a form: control characters (NUL, line breaks…), text-direction overrides and
# isolates (which make a name display as something else), byte-order marks.
HIDDEN_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def _too_long(count: int):
    return Length(max=count, message=_l("This field can have at most %(max)d characters."))


class AccountForm(FlaskForm):
    """A form of the accounts area: besides its fields' own checks, it refuses hidden characters and a
    field sent twice (no browser does either), before anything is looked up or stored."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and HIDDEN_CHARACTERS.search(field.data):
                field.errors = [*field.errors, _("Remove the invisible or control characters from this field.")]
                valid = False
        if any(len(request.form.getlist(name)) > 1 for name in request.form):
            self.form_errors.append(_("The form was sent with a field twice. Please fill it in again."))
            valid = False
        return valid


class SignInForm(AccountForm):
    email = EmailField(_l("Email"), filters=[_stripped],
                       validators=[DataRequired(_l("Enter your email address.")), _too_long(254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")),
                                                         _too_long(MAX_PASSWORD_LENGTH)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class RegisterForm(AccountForm):
    name = StringField(_l("Your name"), validators=[DataRequired(_l("Enter your name.")), _too_long(200)])
    email = EmailField(_l("Email"), filters=[_stripped], validators=[
        DataRequired(_l("Enter your email address.")), _too_long(254),
        Regexp(EMAIL_PATTERN, message=_l("Enter an email address like name@example.com."))])
    # Which numbers are Vietnamese is decided by storefront.phone, when the account is registered.
    phone = StringField(_l("Phone number (optional)"), filters=[_stripped], validators=[Optional(), _too_long(40)])
    # How strong it must be is decided by storefront.accounts.passwords, when the account is registered.
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Choose a password.")),
                                                         _too_long(MAX_PASSWORD_LENGTH)])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords differ.")),
    ])


class ChoosePasswordForm(AccountForm):
    password = PasswordField(_l("Choose a password"), validators=[DataRequired(_l("Choose a password.")),
                                                                  _too_long(MAX_PASSWORD_LENGTH)])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords differ.")),
    ])


class ForgotPasswordForm(AccountForm):
    email = EmailField(_l("Email"), filters=[_stripped], validators=[
        DataRequired(_l("Enter your email address.")), _too_long(254),
        Regexp(EMAIL_PATTERN, message=_l("Enter an email address like name@example.com."))])


class ProfileForm(AccountForm):
    name = StringField(_l("Your name"), filters=[_stripped],
                       validators=[DataRequired(_l("Enter your name.")), _too_long(200)])
    phone = StringField(_l("Phone number (optional)"), filters=[_stripped], validators=[Optional(), _too_long(40)])


class EmailChangeForm(AccountForm):
    email = EmailField(_l("New email address"), filters=[_stripped], validators=[
        DataRequired(_l("Enter your email address.")), _too_long(254),
        Regexp(EMAIL_PATTERN, message=_l("Enter an email address like name@example.com."))])
    password = PasswordField(_l("Your current password"), validators=[
        DataRequired(_l("Enter your current password.")), _too_long(MAX_PASSWORD_LENGTH)])


class PasswordChangeForm(AccountForm):
    current_password = PasswordField(_l("Your current password"), validators=[
        DataRequired(_l("Enter your current password.")), _too_long(MAX_PASSWORD_LENGTH)])
    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Choose a password.")),
                                                             _too_long(MAX_PASSWORD_LENGTH)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords differ."))])


class CodeForm(AccountForm):
    """A code from the authenticator app, or a recovery code (whether it is right: second_factor.py)."""
    code = StringField(_l("Code"), filters=[_stripped],
                       validators=[DataRequired(_l("Enter the code.")), _too_long(40)])


class EnrolForm(AccountForm):
    code = StringField(_l("The 6-digit code the app shows"), filters=[_stripped],
                       validators=[DataRequired(_l("Enter the code.")), _too_long(40)])
    # Asked when a second factor is already set up: replacing it is worth the password.
    current_password = PasswordField(_l("Your current password"), validators=[Optional(),
                                                                              _too_long(MAX_PASSWORD_LENGTH)])


class ConfirmPasswordForm(AccountForm):
    current_password = PasswordField(_l("Your current password"), validators=[
        DataRequired(_l("Enter your current password.")), _too_long(MAX_PASSWORD_LENGTH)])
