from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms import EmailField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, Regexp, ValidationError

from ..accounts.operations import EMAIL_PATTERN
from ..orders.forms import at_most, offered, plain_text, typed
from ..orders.models import Fulfilment
from ..orders.phone import normalize_phone
from ..addresses.rules import delivery_address
from ..addresses.units import HOME_PROVINCE, commune_named, communes_of, province_named, provinces
from ..errors import FieldError

TOKEN = r"\A[A-Za-z0-9_-]{16,64}\Z"


def vietnamese_phone(form, field):
    if normalize_phone(field.data) is None:
        raise ValidationError(_l("Enter a Vietnamese phone number, like 0912 345 678 or +84 912 345 678."))


class CheckoutForm(FlaskForm):
    # The order's idempotency key, made by the page (checkout.views._token): anything else is a stale form.
    token = HiddenField(validators=[Regexp(TOKEN, message=_l("The form expired. Please submit it again."))])
    name = StringField(_l("Your name"), filters=[typed],
                       validators=[DataRequired(_l("Enter your name.")), at_most(200), plain_text])
    phone = StringField(_l("Phone number"), validators=[DataRequired(_l("Enter your phone number.")),
                                                        at_most(20), vietnamese_phone])
    email = EmailField(_l("Email (optional)"), validators=[
        Optional(), at_most(254), plain_text,
        Regexp(EMAIL_PATTERN, message=_l("Enter an email address like name@example.com."))])
    fulfilment = RadioField(_l("How you get it"), choices=[
        SelectChoice(Fulfilment.DELIVERY.value, _l("Home delivery")),
        SelectChoice(Fulfilment.PICKUP.value, _l("Pickup at an OCOP sales point"))],
        default=Fulfilment.DELIVERY.value, validate_choice=False,
        validators=[DataRequired(_l("Choose delivery or pickup.")), offered(_l("Choose delivery or pickup."))])
    # The option's code names the province in the commune list's URL (static/js/commune-picker.js).
    province = SelectField(_l("Province or city"), choices=[SelectChoice("", "—")] + [
        SelectChoice(p.name, p.short_name, render_kw={"data-code": p.code}) for p in provinces()],
        default=HOME_PROVINCE.name, validate_choice=False)
    # Its choices are the communes of the province chosen (see __init__): a refused form, or the no-script
    # "Choose the province" button, shows the list of the province the buyer picked.
    commune = SelectField(_l("Commune or ward"), choices=[], validate_choice=False)
    street = StringField(_l("House number, street, village"), filters=[typed],
                         validators=[at_most(300), plain_text])
    sales_point = RadioField(_l("Sales point"), choices=[], validate_choice=False)
    payment_method = RadioField(_l("Payment"), choices=[], validate_choice=False,
                                validators=[DataRequired(_l("Choose how to pay.")), offered(_l("Choose how to pay."))])
    note = TextAreaField(_l("Note for the producers (optional)"), filters=[typed],
                         validators=[at_most(500), plain_text])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What a script may post ("quang ngai", "cam thanh") shows as the unit it names, selected.
        self.show_province(province_named(self.province.data))
        if self.chosen_province is not None:
            commune = commune_named(self.chosen_province, self.commune.data)
            if commune is not None:
                self.commune.data = commune.name

    def show_province(self, province) -> None:
        """The province selected (None: not one of the list) and its communes as the commune's choices."""
        self.chosen_province = province
        if province is not None:
            self.province.data = province.name
        self.commune.choices = [SelectChoice("", "—")] + [
            SelectChoice(unit.name, unit.name) for unit in communes_of(province)]

    def _address_problem(self, name: str) -> None:
        if self.fulfilment.data != Fulfilment.DELIVERY.value:
            return  # a pickup order has no address
        try:
            delivery_address(self.province.data, self.commune.data)
        except FieldError as problem:
            if problem.field == name:
                raise ValidationError(str(problem)) from None

    def validate_province(self, field):
        self._address_problem("province")

    def validate_commune(self, field):
        self._address_problem("commune")

    def validate_street(self, field):
        if self.fulfilment.data == Fulfilment.DELIVERY.value and not (field.data or "").strip():
            raise ValidationError(_l("Enter the house number and street, or the village."))

    def validate_sales_point(self, field):
        if self.fulfilment.data == Fulfilment.PICKUP.value:
            if not field.data or field.data not in {choice.value for choice in field.choices}:
                raise ValidationError(_l("Choose a sales point that keeps everything in your cart."))
