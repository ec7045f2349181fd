"""What makes a certificate consistent: the one home of its rules (Decision 148/QĐ-TTg; Decision 1489/QĐ-TTg
for the two-tier local government).

`check_certificate` is called by the office's form (through operations.py), the product-list import and
the demo data alike. What a CHECK constraint can say, the database says too, with the SQL written here
from the same tables (models.py attaches it to the certificate table).
"""
import enum
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _

from ..clock import add_months
from ..text import fold
from .numbers import certificate_key

VALIDITY_MONTHS = 36
PROVINCE_AUTHORITY = "UBND tỉnh Quảng Ngãi"
# Only 3★, 4★ and 5★ are certificates; 1★ and 2★ results are not.
CERTIFIED_STARS = (3, 4, 5)
# Lowest score of each star level.
STAR_THRESHOLDS = ((5, 90), (4, 70), (3, 50), (2, 30), (1, 0))
SCORE_BANDS = {3: (50, 69), 4: (70, 89), 5: (90, 100)}
# Since 1 July 2025 (two-tier local government) no district certifies any more.
DISTRICTS_CERTIFIED_UNTIL = date(2025, 6, 30)
# No certificate of the province's lists is older than this: an earlier date is a typing mistake.
EARLIEST_DECISION = date(2000, 1, 1)
NUMBER_MAX_LENGTH = 60
NUMBER_KEY_MAX_LENGTH = 240  # the stored key: NFKC may lengthen a number (a ligature becomes its letters)


class CertificationLevel(enum.StrEnum):
    CENTRAL = "central"
    PROVINCE = "province"
    DISTRICT = "district"  # certified 3★ until June 2025


# Who certifies what: the central level 5★; the province 3★ and 4★; a district 3★, until 30 June 2025.
LEVEL_STARS = {
    CertificationLevel.CENTRAL: (5,),
    CertificationLevel.PROVINCE: (3, 4),
    CertificationLevel.DISTRICT: (3,),
}
LEVEL_CERTIFIED_UNTIL = {CertificationLevel.DISTRICT: DISTRICTS_CERTIFIED_UNTIL}


def stars_for_score(score: int) -> int:
    for stars, lowest in STAR_THRESHOLDS:
        if score >= lowest:
            return stars
    raise ValueError(f"score out of range: {score}")


def default_valid_until(decision_date: date) -> date:
    """Last day of validity: 36 months from the certifying decision."""
    return add_months(decision_date, VALIDITY_MONTHS) - timedelta(days=1)


def default_level(stars: int | None, authority: str) -> CertificationLevel:
    """The level a decision that does not say it was taken at: 5★ are central, an authority named after the
    province is the province, any other a district (which check_certificate then holds to 3★ before July 2025)."""
    if stars == 5:
        return CertificationLevel.CENTRAL
    if "tinh" in fold(authority or "").split():
        return CertificationLevel.PROVINCE
    return CertificationLevel.DISTRICT


@dataclass(frozen=True)
class RuleBreach:
    """One rule a certificate breaks: `field` names the value to correct (stars, score, level,
    decision_date, valid_until or number)."""

    field: str
    message: str


def check_certificate(*, stars: int | None, score: int | None, level: CertificationLevel | None,
                      decision_date: date | None, valid_until: date | None = None,
                      today: date) -> list[RuleBreach]:
    """Every rule the values break, in the user's language; empty when the certificate is consistent.
    A value that is None (unreadable in an import) is skipped, and so are the rules that need it."""
    breaches = []

    def breach(field, message):
        breaches.append(RuleBreach(field, message))

    if stars is not None and stars not in CERTIFIED_STARS:
        breach("stars", _("Only 3, 4 and 5 stars are certified."))
        stars = None
    if score is not None and not 0 <= score <= 100:
        breach("score", _("The score is out of 100."))
    elif score is not None and stars is not None and stars_for_score(score) != stars:
        breach("score", _("A score of %(score)s gives %(given)s stars, not %(stars)s.",
                          score=score, given=stars_for_score(score), stars=stars))
    if decision_date is not None:
        if decision_date > today:
            breach("decision_date", _("The decision date cannot be in the future."))
        elif decision_date < EARLIEST_DECISION:
            breach("decision_date", _("The decision date is too early."))
    if valid_until is not None and decision_date is not None and valid_until < decision_date:
        breach("valid_until", _("The certificate cannot end before its decision date."))
    if level is not None and stars is not None and stars not in LEVEL_STARS[level]:
        if stars == 5:
            breach("level", _("5 stars are certified at the central level."))
        elif level is CertificationLevel.DISTRICT:
            breach("level", _("A district only certified 3 stars."))
        else:
            breach("level", _("The central level certifies 5 stars only: 3 and 4 stars are certified by the "
                              "province."))
    if level is not None and decision_date is not None and level in LEVEL_CERTIFIED_UNTIL \
            and decision_date > LEVEL_CERTIFIED_UNTIL[level]:
        breach("level", _("Districts no longer certify since 1 July 2025: choose the province."))
    return breaches


def number_breach(number: str) -> RuleBreach | None:
    """What is wrong with a certificate number as typed (after clean_text), if anything."""
    key = certificate_key(number)
    if not key:
        return RuleBreach("number", _("The %(field)s is missing.", field=_("certificate number")))
    if len(number) > NUMBER_MAX_LENGTH or len(key) > NUMBER_KEY_MAX_LENGTH:
        return RuleBreach("number", _("The %(field)s is too long (at most %(limit)s characters).",
                                      field=_("certificate number"), limit=NUMBER_MAX_LENGTH))
    return None


# --- the same rules as CHECK constraints ---------------------------------------------------------

def _stars_sql(stars) -> str:
    return f"stars = {stars[0]}" if len(stars) == 1 else f"stars IN ({', '.join(map(str, stars))})"


CERTIFIED_STARS_SQL = _stars_sql(CERTIFIED_STARS)
SCORE_MATCHES_STARS_SQL = " OR ".join(
    f"(stars = {stars} AND score BETWEEN {low} AND {high})" for stars, (low, high) in SCORE_BANDS.items())
LEVEL_MATCHES_STARS_SQL = " OR ".join(
    f"(level = '{level.value}' AND {_stars_sql(stars)}"
    + (f" AND decision_date <= '{LEVEL_CERTIFIED_UNTIL[level].isoformat()}'" if level in LEVEL_CERTIFIED_UNTIL
       else "") + ")"
    for level, stars in LEVEL_STARS.items())
VALID_AFTER_DECISION_SQL = "valid_until >= decision_date"
