from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class LookupForm(FlaskForm):
    number = StringField(_l("Order number"), validators=[DataRequired(_l("Enter the order number.")),
                                                         Length(max=20)])
    phone = StringField(_l("Phone number"), validators=[DataRequired(_l("Enter the phone number of the order.")),
                                                        Length(max=20)])


class OrderActionForm(FlaskForm):
    """A button that changes an order: only its CSRF token."""
