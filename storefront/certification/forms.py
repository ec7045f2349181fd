from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..labels import CERTIFICATION_LEVEL_NAMES
from .models import PROVINCE_AUTHORITY, CertificationLevel
from .operations import Decision


class DecisionForm(FlaskForm):
    """What the certifying decision says: used to issue, renew and upgrade."""

    number = StringField(_l("Certificate number"), validators=[
        DataRequired(_l("Enter the certificate number.")), Length(max=60)])
    stars = SelectField(_l("Stars"), coerce=int, choices=[SelectChoice(stars, f"{stars} ★") for stars in (3, 4, 5)],
                        validators=[InputRequired()])
    score = IntegerField(_l("Score (out of 100)"), validators=[
        InputRequired(_l("Enter the score.")), NumberRange(0, 100, _l("The score is out of 100."))])
    decision_number = StringField(_l("Decision number"), validators=[
        DataRequired(_l("Enter the decision number, e.g. 1425/QĐ-UBND.")), Length(max=60)])
    decision_date = DateField(_l("Decision date"), validators=[
        InputRequired(_l("Enter the date of the decision."))])
    authority = StringField(_l("Issuing authority"), default=PROVINCE_AUTHORITY, validators=[
        DataRequired(_l("Enter the issuing authority.")), Length(max=200)])
    level = SelectField(_l("Level"), default=CertificationLevel.PROVINCE.value, validators=[InputRequired()])
    valid_until = DateField(_l("Valid until (only if the decision says so)"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.level.choices = [SelectChoice(level.value, label) for level, label in CERTIFICATION_LEVEL_NAMES.items()]

    def decision(self) -> Decision:
        return Decision(number=self.number.data, stars=self.stars.data, score=self.score.data,
                        decision_number=self.decision_number.data, decision_date=self.decision_date.data,
                        authority=self.authority.data, level=CertificationLevel(self.level.data),
                        valid_until=self.valid_until.data)


class RevokeForm(FlaskForm):
    """Revoking takes two posts: the reasons, then the confirmation page's "Revoke" (`confirmed`), so that it
    never happens in one click, with or without JavaScript."""

    reason = TextAreaField(_l("Reason for revoking (in Vietnamese, as the authority gives it)"), validators=[
        DataRequired(_l("Give the reason for revoking the certificate.")),
        Length(min=5, max=1000, message=_l("Give the reason in 5 to 1,000 characters."))])
    reason_en = TextAreaField(_l("The reason in English, for visitors (optional)"), validators=[
        Optional(), Length(max=1000, message=_l("Give the reason in 5 to 1,000 characters."))])
    confirmed = HiddenField()


class DecisionDocumentForm(FlaskForm):
    document = FileField(_l("Scanned decision (PDF, JPEG, PNG or WebP)"),
                         validators=[FileRequired(_l("Choose the file to attach."))])
