"""OCOP certificates. Whether one is valid is derived from its dates when read, never stored."""
import enum
import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalog.models import Product
from ..clock import add_months, local_date, utcnow
from ..extensions import db, enum_column
from ..media.models import MediaImage

VALIDITY_MONTHS = 36
PROVINCE_AUTHORITY = "UBND tỉnh Quảng Ngãi"
CERTIFIED_STARS = (3, 4, 5)
# Lowest score of each star level (Decision 148/QĐ-TTg).
STAR_THRESHOLDS = ((5, 90), (4, 70), (3, 50), (2, 30), (1, 0))


def stars_for_score(score: int) -> int:
    for stars, lowest in STAR_THRESHOLDS:
        if score >= lowest:
            return stars
    raise ValueError(f"score out of range: {score}")


# Verification codes: no 0/O, 1/I/L, so a code copied from packaging by hand is read right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10  # 31**10 ≈ 8×10^14: not worth guessing, short enough to type and to keep the QR small


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalized_code(text: str) -> str | None:
    """`text` as a verification code (any case, with spaces or hyphens), or None if it cannot be one."""
    code = "".join(ch for ch in text.upper() if ch not in " -")
    if len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code):
        return code
    return None


def default_valid_until(decision_date: date) -> date:
    """Last day of validity: 36 months from the certifying decision."""
    return add_months(decision_date, VALIDITY_MONTHS) - timedelta(days=1)


class CertificationLevel(enum.StrEnum):
    CENTRAL = "central"
    PROVINCE = "province"
    DISTRICT = "district"  # certified 3★ until June 2025


class CertificateStatus(enum.StrEnum):
    VALID = "valid"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


class Certificate(db.Model):
    __table_args__ = (
        CheckConstraint("stars IN (3, 4, 5)", name="certified_stars"),
        CheckConstraint(
            "(stars = 3 AND score BETWEEN 50 AND 69) OR (stars = 4 AND score BETWEEN 70 AND 89)"
            " OR (stars = 5 AND score BETWEEN 90 AND 100)", name="score_matches_stars"),
        CheckConstraint("valid_until >= valid_from", name="validity_ordered"),
        UniqueConstraint("authority", "number", name="uq_certificate_authority_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    # Free text: no national numbering scheme exists; unique per issuing authority.
    number: Mapped[str] = mapped_column(String(60))
    stars: Mapped[int]
    score: Mapped[int]
    decision_number: Mapped[str] = mapped_column(String(60))
    decision_date: Mapped[date]
    authority: Mapped[str] = mapped_column(String(200))
    level: Mapped[CertificationLevel] = mapped_column(enum_column(CertificationLevel))
    valid_from: Mapped[date] = mapped_column(index=True)
    valid_until: Mapped[date] = mapped_column(index=True)
    revoked_at: Mapped[datetime | None]
    revocation_reason: Mapped[str | None] = mapped_column(Text)
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
