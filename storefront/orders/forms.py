import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ..text import nfc

# Control characters other than tab and line breaks: nobody types them, and PostgreSQL refuses NUL in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(text: str | None) -> bool:
    return bool(text and _CONTROL.search(text))


def plain_text(form, field):
    """A typed text holds no control character."""
    if has_control_characters(field.data):
        raise ValidationError(_l("Remove the unusual characters from this field."))


def at_most(length: int) -> Length:
    """WTForms' own messages have no Vietnamese: every limit says itself in the shop's words."""
    return Length(max=length, message=_l("At most %(max)d characters, please."))


def offered(message):
    """The value is one of the field's choices (WTForms' own check would answer in English only)."""
    def check(form, field):
        if not any(selected for _value, _label, selected, *_rest in field.iter_choices()):
            raise ValidationError(message)
    return check


def typed(value):
    """What a shopper typed: NFC (a decomposed "ư" would not match the same word typed elsewhere)."""
    return nfc(value) if isinstance(value, str) else value


class LookupForm(FlaskForm):
    number = StringField(_l("Order number"), filters=[typed],
                         validators=[DataRequired(_l("Enter the order number.")), at_most(20), plain_text])
    phone = StringField(_l("Phone number"), filters=[typed],
                        validators=[DataRequired(_l("Enter the phone number of the order.")), at_most(20),
                                    plain_text])


class OrderActionForm(FlaskForm):
    """A button that changes an order: only its CSRF token."""
