"""OCOP certificates. Whether one is valid is derived from its dates when read, never stored."""
import enum
import secrets
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..catalog.models import Product
from ..clock import local_date, utcnow
from ..extensions import db, enum_column
from ..media.models import MediaImage
from .numbers import CODE_ALPHABET, CODE_LENGTH, certificate_key, normalized_code  # noqa: F401  (re-exported)
from .rules import (CERTIFIED_STARS, CERTIFIED_STARS_SQL, LEVEL_MATCHES_STARS_SQL,  # noqa: F401  (re-exported)
                    NUMBER_KEY_MAX_LENGTH, PROVINCE_AUTHORITY, SCORE_MATCHES_STARS_SQL, STAR_THRESHOLDS,
                    VALID_AFTER_DECISION_SQL, VALIDITY_MONTHS, CertificationLevel, default_valid_until,
                    stars_for_score)


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _number_key_of_insert(context) -> str:
    """The key of a row inserted without the ORM (a bulk insert of dictionaries)."""
    return certificate_key(context.get_current_parameters().get("number"))


class CertificateStatus(enum.StrEnum):
    VALID = "valid"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


class Certificate(db.Model):
    __table_args__ = (
        # The rules of rules.py that a CHECK can express, written from the same tables.
        CheckConstraint(CERTIFIED_STARS_SQL, name="certified_stars"),
        CheckConstraint(SCORE_MATCHES_STARS_SQL, name="score_matches_stars"),
        CheckConstraint(LEVEL_MATCHES_STARS_SQL, name="level_matches_stars"),
        CheckConstraint("valid_until >= valid_from", name="validity_ordered"),
        CheckConstraint(VALID_AFTER_DECISION_SQL, name="valid_after_decision"),
        # Unique per authority however the number is typed (case, spaces, dashes): see numbers.py.
        UniqueConstraint("authority", "number_key", name="uq_certificate_authority_number_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    # Free text: no national numbering scheme exists; unique per issuing authority.
    number: Mapped[str] = mapped_column(String(60))
    # certificate_key(number), kept by the validator below: what lookups and the uniqueness rule compare.
    number_key: Mapped[str] = mapped_column(String(NUMBER_KEY_MAX_LENGTH), index=True, default=_number_key_of_insert)
    stars: Mapped[int]
    score: Mapped[int]
    decision_number: Mapped[str] = mapped_column(String(60))
    decision_date: Mapped[date]
    authority: Mapped[str] = mapped_column(String(200))
    level: Mapped[CertificationLevel] = mapped_column(enum_column(CertificationLevel))
    valid_from: Mapped[date] = mapped_column(index=True)
    valid_until: Mapped[date] = mapped_column(index=True)
    revoked_at: Mapped[datetime | None]
    revocation_reason: Mapped[str | None] = mapped_column(Text)  # in Vietnamese, as the authority gave it
    revocation_reason_en: Mapped[str | None] = mapped_column(Text)  # an English translation, when the office gives one
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Printed as a QR code on packaging; the number is guessable, this is not. Either verifies.
    verification_code: Mapped[str] = mapped_column(String(16), unique=True, default=new_verification_code)
    # The certificate this one renews or upgrades (which stays, as history).
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id", ondelete="SET NULL"))
    # The scanned decision: a PDF stored under MEDIA_ROOT/decisions, or an image through the media pipeline.
    decision_pdf_key: Mapped[str | None] = mapped_column(String(64))
    decision_image_id: Mapped[int | None] = mapped_column(ForeignKey("media_image.id"))

    product: Mapped[Product] = relationship(backref=db.backref(
        "certificates", order_by="Certificate.decision_date.desc()", cascade="all, delete-orphan"))
    replaces: Mapped["Certificate | None"] = relationship(remote_side=[id])
    decision_image: Mapped[MediaImage | None] = relationship()

    @validates("number")
    def _keep_number_key(self, _name, number):
        self.number_key = certificate_key(number)
        return number

    @property
    def has_decision_document(self) -> bool:
        return self.decision_pdf_key is not None or self.decision_image_id is not None

    @property
    def renewing_authority(self) -> str:
        """Where the producer applies for re-evaluation: districts stopped certifying on 1 July 2025."""
        return PROVINCE_AUTHORITY if self.level is CertificationLevel.DISTRICT else self.authority

    @property
    def display_code(self) -> str:
        """The verification code in two groups of five, as printed."""
        return f"{self.verification_code[:5]}-{self.verification_code[5:]}"

    @property
    def revoked_on(self) -> date | None:
        return local_date(self.revoked_at) if self.revoked_at else None

    def status_on(self, day: date) -> CertificateStatus:
        """Must agree with queries.valid_on, which says the same in SQL."""
        if self.revoked_at is not None and self.revoked_on <= day:
            return CertificateStatus.REVOKED
        if day < self.valid_from:
            return CertificateStatus.NOT_YET_VALID
        if day > self.valid_until:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    def days_left_on(self, day: date) -> int:
        return (self.valid_until - day).days

    def __repr__(self):
        return f"<Certificate {self.number} {self.stars}★>"
