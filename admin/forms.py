"""The back office's forms. They check the shape of what is typed; the rules live in the operations,
whose FieldError is shown beside the field it names (`attach_error`)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, Field, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import TextInput

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.accounts.models import Role
from storefront.areas.models import Area, AreaKind, AreaLevel
from storefront.catalog.models import SUBGROUPS, CraftVillage, ProducerType, ProductGroup
from storefront.extensions import db
from storefront.labels import FUNDING_NAMES, GROUP_NAMES, PRODUCER_TYPE_NAMES, ROLE_NAMES, SUBGROUP_NAMES, area_name
from storefront.locator.models import Funding
from storefront.text import sort_key

AREA_LEVEL_NAMES = {
    AreaLevel.PROVINCE: _l("Province"),
    AreaLevel.FORMER_DISTRICT: _l("Former district-level unit"),
    AreaLevel.COMMUNE: _l("Commune or ward"),
}
AREA_KIND_NAMES = {
    AreaKind.PROVINCE: _l("Province"), AreaKind.CITY: _l("City"), AreaKind.TOWN: _l("Town"),
    AreaKind.DISTRICT: _l("District"), AreaKind.WARD: _l("Ward"), AreaKind.COMMUNE: _l("Commune"),
    AreaKind.SPECIAL_ZONE: _l("Special zone"),
}


def required(message):
    return DataRequired(message=message)


def at_most(count: int):
    return Length(max=count, message=_l("At most %(count)s characters.", count=count))


class WholeNumberField(Field):
    """A whole number as people type it: "185.000", "185 000" or "185000" (empty gives None)."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, required_message=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.required_message = required_message

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)

    def process_formdata(self, valuelist):
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip()
        if raw == "":
            if self.required_message:
                raise ValueError(self.required_message)
            return
        digits = raw.replace(".", "").replace(" ", "").replace("\u00a0", "").replace(",", "").removesuffix("₫")
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 12:
            raise ValueError(_l("Enter a whole number, like 185000."))
        self.data = int(digits)


class CoordinateField(Field):
    """A decimal degree; a comma works as the decimal mark too ("15,12")."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:.6f}".rstrip("0").rstrip(".")

    def process_formdata(self, valuelist):
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip().replace(",", ".")
        try:
            self.data = float(raw)
        except ValueError:
            raise ValueError(_l("Enter a number of degrees, like 15.1205.")) from None
        if self.data != self.data or self.data in (float("inf"), float("-inf")):
            raise ValueError(_l("Enter a number of degrees, like 15.1205."))


def options(pairs, optgroup=None) -> list[SelectChoice]:
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


class ChoiceField(SelectField):
    """A list to choose from, saying in the user's language when a value is not one of it."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("invalid_value_message", _l("Choose one of the options."))
        kwargs.setdefault("invalid_choice_message", _l("Choose one of the options."))
        super().__init__(label, validators, **kwargs)


def values_of(form: FlaskForm, names) -> dict:
    return {name: form[name].data for name in names if name in form}


def attach_error(form: FlaskForm, error) -> None:
    """Show an operation's refusal beside its field, or above the form when no field of it matches."""
    name = getattr(error, "field", None)
    if name and name in form and name != "csrf_token":
        form[name].errors = list(form[name].errors) + [str(error)]
    else:
        form.form_errors.append(str(error))


class ActionForm(FlaskForm):
    """A button that changes something (publish, approve…): only the CSRF token travels."""


def _group_choices():
    return options((group.value, GROUP_NAMES[group]) for group in ProductGroup)


def _subgroup_choices():
    return [choice for group, codes in SUBGROUPS.items()
            for choice in options(((code, SUBGROUP_NAMES[code]) for code in codes), optgroup=str(GROUP_NAMES[group]))]


class ListingTextForm(FlaskForm):
    """What shoppers read about a product, in Vietnamese and English side by side."""

    name_vi = StringField(_l("Name (Vietnamese)"), [required(_l("Enter the product's name in Vietnamese.")),
                                                    at_most(200)])
    name_en = StringField(_l("Name (English)"), [Optional(), at_most(200)])
    summary_vi = TextAreaField(_l("Summary (Vietnamese)"), [Optional(), at_most(400)], render_kw={"rows": 2})
    summary_en = TextAreaField(_l("Summary (English)"), [Optional(), at_most(400)], render_kw={"rows": 2})
    description_vi = TextAreaField(_l("Description (Vietnamese)"), [Optional(), at_most(20000)],
                                   render_kw={"rows": 6})
    description_en = TextAreaField(_l("Description (English)"), [Optional(), at_most(20000)],
                                   render_kw={"rows": 6})
    story_vi = TextAreaField(_l("Product story (Vietnamese)"), [Optional(), at_most(20000)], render_kw={"rows": 6})
    story_en = TextAreaField(_l("Product story (English)"), [Optional(), at_most(20000)], render_kw={"rows": 6})
    heritage_vi = TextAreaField(_l("Cultural heritage (Vietnamese)"), [Optional(), at_most(20000)],
                                render_kw={"rows": 4})
    heritage_en = TextAreaField(_l("Cultural heritage (English)"), [Optional(), at_most(20000)],
                                render_kw={"rows": 4})
    unit_vi = StringField(_l("Unit sold (Vietnamese)"), [Optional(), at_most(80)])
    unit_en = StringField(_l("Unit sold (English)"), [Optional(), at_most(80)])


class PriceStockForm(FlaskForm):
    price = WholeNumberField(_l("Price in đồng"), [Optional()])
    stock = WholeNumberField(_l("Stock"), required_message=_l("Enter the stock, 0 or more."))


class ProductForm(ListingTextForm):
    producer = StringField(_l("Producer"), [required(_l("Enter the producer's web address name.")), at_most(160)])
    slug = StringField(_l("Web address name"), [Optional(), at_most(160)])
    group = ChoiceField(_l("OCOP group"), coerce=int)
    subgroup = ChoiceField(_l("Sub-group"))
    price = WholeNumberField(_l("Price in đồng"), [Optional()])
    stock = WholeNumberField(_l("Stock"), required_message=_l("Enter the stock, 0 or more."))
    sold_online = BooleanField(_l("Sold online"))
    shippable = BooleanField(_l("Can be shipped"))
    is_published = BooleanField(_l("Published on the site"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.group.choices = _group_choices()
        self.subgroup.choices = _subgroup_choices()

    def validate_shippable(self, field):
        if field.data and self.group.data == ProductGroup.TOURISM.value:
            raise ValidationError(_l("Tourism products (group 6) are places to visit: they cannot be shipped."))


class PhotoForm(FlaskForm):
    photo = FileField(_l("Photo"), render_kw={"accept": "image/*"})
    alt_vi = StringField(_l("What the photo shows (Vietnamese)"),
                         [required(_l("Describe the photo in Vietnamese for people who cannot see it.")),
                          at_most(300)])
    alt_en = StringField(_l("What the photo shows (English)"), [Optional(), at_most(300)])


class SalesPointPhotoForm(FlaskForm):
    """A photo of a sales point: its descriptions may be left empty ("<name> — photo n" is then said)."""

    photo = FileField(_l("Photo"), render_kw={"accept": "image/jpeg,image/png,image/webp"})
    alt_vi = StringField(_l("What the photo shows (Vietnamese)"), [Optional(), at_most(300)])
    alt_en = StringField(_l("What the photo shows (English)"), [Optional(), at_most(300)])


class ProducerProfileForm(FlaskForm):
    address = StringField(_l("Address"), [Optional(), at_most(300)])
    phone = StringField(_l("Phone"), [Optional(), at_most(20)], render_kw={"inputmode": "tel", "autocomplete": "tel"})
    email = EmailField(_l("Email"), [Optional(), at_most(200)])
    website = StringField(_l("Website"), [Optional(), at_most(300)], render_kw={"inputmode": "url"})
    story_vi = TextAreaField(_l("Your story (Vietnamese)"), [Optional(), at_most(20000)], render_kw={"rows": 8})
    story_en = TextAreaField(_l("Your story (English)"), [Optional(), at_most(20000)], render_kw={"rows": 8})


class ProducerForm(ProducerProfileForm):
    name = StringField(_l("Name"), [required(_l("Enter the producer's name.")), at_most(200)])
    slug = StringField(_l("Web address name"), [Optional(), at_most(160)])
    type = ChoiceField(_l("Kind of producer"),
                       choices=options((kind.value, PRODUCER_TYPE_NAMES[kind]) for kind in ProducerType))
    area_id = ChoiceField(_l("Commune or ward"), coerce=int)
    craft_village_id = ChoiceField(_l("Craft village"), coerce=lambda value: int(value) if value else None)
    sells_through_modern_channels = BooleanField(_l("Sells through supermarkets or e-commerce"))
    is_published = BooleanField(_l("Published on the site"))
    story_vi = TextAreaField(_l("Story (Vietnamese)"), [Optional(), at_most(20000)], render_kw={"rows": 6})
    story_en = TextAreaField(_l("Story (English)"), [Optional(), at_most(20000)], render_kw={"rows": 6})


class SalesPointForm(FlaskForm):
    name_vi = StringField(_l("Name (Vietnamese)"), [required(_l("Enter the sales point's name in Vietnamese.")),
                                                    at_most(200)])
    name_en = StringField(_l("Name (English)"), [Optional(), at_most(200)])
    slug = StringField(_l("Web address name"), [Optional(), at_most(160)])
    address = StringField(_l("Street address"), [required(_l("Enter the street address.")), at_most(300)])
    area_id = ChoiceField(_l("Commune or ward"), coerce=int)
    latitude = CoordinateField(_l("Latitude"))
    longitude = CoordinateField(_l("Longitude"))
    opening_hours_vi = StringField(_l("Opening hours (Vietnamese)"), [Optional(), at_most(200)])
    opening_hours_en = StringField(_l("Opening hours (English)"), [Optional(), at_most(200)])
    phone = StringField(_l("Phone"), [Optional(), at_most(20)], render_kw={"inputmode": "tel"})
    funding = ChoiceField(_l("Funding"), choices=options((kind.value, FUNDING_NAMES[kind]) for kind in Funding))
    description_vi = TextAreaField(_l("Description (Vietnamese)"), [Optional(), at_most(20000)],
                                   render_kw={"rows": 4})
    description_en = TextAreaField(_l("Description (English)"), [Optional(), at_most(20000)],
                                   render_kw={"rows": 4})
    is_published = BooleanField(_l("Published on the site"))


class AreaForm(FlaskForm):
    name = StringField(_l("Name"), [required(_l("Enter the place's name.")), at_most(120)])
    slug = StringField(_l("Web address name"), [Optional(), at_most(120)])
    level = ChoiceField(_l("Level"), choices=options((level.value, AREA_LEVEL_NAMES[level]) for level in AreaLevel))
    kind = ChoiceField(_l("Kind"), choices=options((kind.value, AREA_KIND_NAMES[kind]) for kind in AreaKind))
    parent_id = ChoiceField(_l("Lies in"), coerce=lambda value: int(value) if value else None)


class InviteForm(FlaskForm):
    email = EmailField(_l("Email"), [required(_l("Enter the email address of the person to invite.")),
                                     at_most(254)])
    name = StringField(_l("Their name"), [Optional(), at_most(200)])
    producer = StringField(_l("Producer"), [required(_l("Enter the producer's web address name.")),
                                            at_most(160)])


def office_role_choices() -> list[SelectChoice]:
    return options((role.value, ROLE_NAMES[role]) for role in (
        Role.ADMIN, Role.CERTIFICATE_OFFICER, Role.ORDER_DESK, Role.VIEWER))


class OfficeInviteForm(FlaskForm):
    email = EmailField(_l("Email"), [required(_l("Enter the email address of the person to invite.")),
                                     at_most(254)])
    name = StringField(_l("Their name"), [Optional(), at_most(200)])
    role = ChoiceField(_l("Role"), [required(_l("Choose a role."))], choices=office_role_choices,
                       default=Role.VIEWER.value)


class OfficeRoleForm(FlaskForm):
    role = ChoiceField(_l("Role"), [required(_l("Choose a role."))], choices=office_role_choices)


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Why the change is refused (the producer reads this)"),
                           [required(_l("Tell the producer why the change is refused.")), at_most(1000)],
                           render_kw={"rows": 3})


def commune_choices() -> list[SelectChoice]:
    """Communes and wards, grouped under their former district."""
    communes = db.session.scalars(select(Area).where(Area.level == AreaLevel.COMMUNE)
                                  .options(selectinload(Area.parent))).all()
    communes = sorted(communes, key=lambda area: (sort_key(area.parent.name if area.parent else ""),
                                                  sort_key(area.name)))
    return [SelectChoice(area.id, area_name(area), optgroup=area_name(area.parent) if area.parent else None)
            for area in communes]


def parent_choices() -> list[SelectChoice]:
    parents = db.session.scalars(select(Area).where(Area.level != AreaLevel.COMMUNE)).all()
    parents = sorted(parents, key=lambda area: (area.level != AreaLevel.PROVINCE, sort_key(area.name)))
    return [SelectChoice("", _l("— none (a province) —"))] + [SelectChoice(area.id, area_name(area))
                                                                  for area in parents]


def craft_village_choices() -> list[SelectChoice]:
    villages = db.session.scalars(select(CraftVillage)).all()
    return [SelectChoice("", _l("— none —"))] + [SelectChoice(village.id, village.name_vi) for village in
                                                 sorted(villages, key=lambda v: sort_key(v.name_vi))]


def field_label(name: str) -> str:
    """The label of a listing's text field ("description_en" → "Description (English)")."""
    unbound = getattr(ListingTextForm, name, None)
    return str(unbound.args[0]) if unbound is not None else name
