"""The verbs of a certificate's life: issue, renew, upgrade, revoke, attach the scanned decision.

Each validates, stages its changes and the audit entry in the session, and never commits. Products
follow their certificates by themselves: their stars are derived from the certificates' dates.
"""
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, select

from ..audit.operations import record as audit_record
from ..accounts.models import Role, User
from ..catalog.models import Product
from ..clock import today, utcnow
from ..errors import DomainError
from ..extensions import db
from ..media.pipeline import ImageRejected, store_image
from ..notifications.operations import queue_message
from .models import (CERTIFIED_STARS, Certificate, CertificationLevel, default_valid_until, new_verification_code,
                     stars_for_score)

# Since 1 July 2025 (two-tier local government) no district certifies any more.
DISTRICTS_CERTIFIED_UNTIL = date(2025, 6, 30)
TEXT_LIMITS = {"number": 60, "decision_number": 60, "authority": 200}


class CertificateRefused(DomainError):
    pass


class DocumentRejected(DomainError):
    pass


@dataclass(frozen=True)
class Decision:
    """What a certifying decision says about one product: the fields every new certificate needs."""

    number: str
    stars: int
    score: int
    decision_number: str
    decision_date: date
    authority: str
    level: CertificationLevel
    valid_until: date | None = None  # 36 months from the decision unless the decision says otherwise


def issue_certificate(product: Product, decision: Decision, replaces: Certificate | None = None,
                      action: str = "certificate.issue", note: str = "") -> Certificate:
    """A new certificate for `product`, valid from its decision date."""
    fields = _checked(decision)
    if product.id is None:
        raise CertificateRefused(_("Choose the product to certify."))
    certificate = Certificate(product=product, replaces=replaces, replaces_id=replaces.id if replaces else None,
                              verification_code=new_verification_code(), valid_from=fields.decision_date,
                              number=fields.number, stars=fields.stars, score=fields.score,
                              decision_number=fields.decision_number, decision_date=fields.decision_date,
                              authority=fields.authority, level=fields.level,
                              valid_until=fields.valid_until or default_valid_until(fields.decision_date))
    if certificate.valid_until < certificate.valid_from:
        raise CertificateRefused(_("The certificate cannot end before its decision date."))
    audit_record(action, certificate, note=note)
    return certificate


def renew_certificate(old: Certificate, decision: Decision) -> Certificate:
    """A new certificate after a re-evaluation of the same product; the old one stays as history."""
    _check_replaceable(old, decision)
    return issue_certificate(old.product, decision, replaces=old, action="certificate.renew",
                             note=_("Renews %(number)s", number=old.number))


def upgrade_certificate(old: Certificate, decision: Decision) -> Certificate:
    """More stars are a new certificate (3★ → 4★); the old one stays as history."""
    if decision.stars <= old.stars:
        raise CertificateRefused(_("An upgrade needs more stars than the %(stars)s of the current certificate.",
                                   stars=old.stars))
    _check_replaceable(old, decision)
    return issue_certificate(old.product, decision, replaces=old, action="certificate.upgrade",
                             note=_("Upgrades %(number)s from %(old)s to %(new)s stars", number=old.number,
                                    old=old.stars, new=decision.stars))


def revoke_certificate(certificate: Certificate, reason: str) -> Certificate:
    """Revoked from now on: the product loses this certificate's stars today."""
    reason = " ".join((reason or "").split())
    if certificate.revoked_at is not None:
        raise CertificateRefused(_("This certificate was already revoked on %(date)s.",
                                   date=certificate.revoked_on.strftime("%d/%m/%Y")))
    if len(reason) < 5:
        raise CertificateRefused(_("Give the reason for revoking the certificate."))
    if len(reason) > 1000:
        raise CertificateRefused(_("The reason is too long (at most 1,000 characters)."))
    certificate.revoked_at = utcnow()
    certificate.revocation_reason = reason
    audit_record("certificate.revoke", certificate, note=reason)
    return certificate


# --- the scanned decision ------------------------------------------------------------------------

PDF_HEADER = re.compile(rb"^%PDF-[12]\.\d")
# Active content has no place in a scanned decision: refuse it rather than serve it to the office.
PDF_ACTIVE_CONTENT = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA|OpenAction|AA)\b")
IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF")


def decision_pdf_path(key: str) -> Path:
    return Path(current_app.config["MEDIA_ROOT"]) / "decisions" / key[:2] / f"{key}.pdf"


def attach_decision_document(certificate: Certificate, data: bytes) -> Certificate:
    """Keep the scanned decision (a PDF, or a JPEG/PNG/WebP photo) with the certificate.

    The type is judged by the content, whatever the file is called; nothing is stored when refused.
    """
    limit = current_app.config["DECISION_MAX_BYTES"]
    if not data:
        raise DocumentRejected(_("The file is empty."))
    if len(data) > limit:
        size = f"{limit // 1048576} MB" if limit >= 1048576 else f"{max(1, limit // 1024)} KB"
        raise DocumentRejected(_("The file is larger than %(size)s.", size=size))
    old = {"decision_pdf_key": certificate.decision_pdf_key, "decision_image_id": certificate.decision_image_id}
    if data.startswith(b"%PDF-"):
        key = _store_pdf(data)
        certificate.decision_pdf_key, certificate.decision_image = key, None
        kind = "pdf"
    elif data.startswith(IMAGE_SIGNATURES):
        try:
            image = store_image(data)
        except ImageRejected:
            raise DocumentRejected(_("The image cannot be used: it is damaged, has too many pixels, or is not "
                                     "a JPEG, PNG or WebP photo.")) from None
        db.session.flush()
        certificate.decision_pdf_key, certificate.decision_image = None, image
        kind = "image"
    else:
        raise DocumentRejected(_("Only a PDF or a JPEG, PNG or WebP scan of the decision is accepted."))
    new = {"decision_pdf_key": certificate.decision_pdf_key,
           "decision_image_id": certificate.decision_image.id if certificate.decision_image else None}
    audit_record("certificate.attach_decision", certificate,
                 changes={field: [old[field], new[field]] for field in old if old[field] != new[field]},
                 note=kind)
    return certificate


def _store_pdf(data: bytes) -> str:
    _check_pdf(data)
    key = hashlib.sha256(data).hexdigest()[:40]
    path = decision_pdf_path(key)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    return key


def _check_pdf(data: bytes) -> None:
    """A PDF by its structure: the header, objects, a cross-reference and the end-of-file marker."""
    tail = data[-2048:]
    if (not PDF_HEADER.match(data) or b"%%EOF" not in tail or b"startxref" not in tail
            or not re.search(rb"\d+\s+\d+\s+obj\b", data) or b"endobj" not in data):
        raise DocumentRejected(_("The PDF is damaged or is not a PDF."))
    if PDF_ACTIVE_CONTENT.search(data):
        raise DocumentRejected(_("The PDF contains scripts or embedded files; scan the decision to a plain PDF."))


# --- checks ---------------------------------------------------------------------------------------

def _checked(decision: Decision) -> Decision:
    values = {name: " ".join((getattr(decision, name) or "").split()) for name in TEXT_LIMITS}
    for name, label in (("number", _("certificate number")), ("decision_number", _("decision number")),
                        ("authority", _("issuing authority"))):
        if not values[name]:
            raise CertificateRefused(_("The %(field)s is missing.", field=label))
        if len(values[name]) > TEXT_LIMITS[name]:
            raise CertificateRefused(_("The %(field)s is too long (at most %(limit)s characters).",
                                       field=label, limit=TEXT_LIMITS[name]))
    if decision.stars not in CERTIFIED_STARS:
        raise CertificateRefused(_("Only 3, 4 and 5 stars are certified."))
    if not 0 <= decision.score <= 100:
        raise CertificateRefused(_("The score is out of 100."))
    if stars_for_score(decision.score) != decision.stars:
        raise CertificateRefused(_("A score of %(score)s gives %(given)s stars, not %(stars)s.",
                                   score=decision.score, given=stars_for_score(decision.score),
                                   stars=decision.stars))
    if decision.decision_date > today():
        raise CertificateRefused(_("The decision date cannot be in the future."))
    if decision.level is CertificationLevel.DISTRICT and decision.stars != 3:
        raise CertificateRefused(_("A district only certified 3 stars."))
    if decision.level is CertificationLevel.DISTRICT and decision.decision_date > DISTRICTS_CERTIFIED_UNTIL:
        raise CertificateRefused(_("Districts no longer certify since 1 July 2025: choose the province."))
    if decision.level is not CertificationLevel.CENTRAL and decision.stars == 5:
        raise CertificateRefused(_("5 stars are certified at the central level."))
    if decision.valid_until is not None and decision.valid_until < decision.decision_date:
        raise CertificateRefused(_("The certificate cannot end before its decision date."))
    taken = db.session.scalar(select(exists().where(Certificate.authority == values["authority"],
                                                    Certificate.number == values["number"])))
    if taken:
        raise CertificateRefused(_("%(authority)s already issued a certificate numbered %(number)s.",
                                   authority=values["authority"], number=values["number"]))
    return Decision(values["number"], decision.stars, decision.score, values["decision_number"],
                    decision.decision_date, values["authority"], decision.level, decision.valid_until)


def _check_replaceable(old: Certificate, decision: Decision) -> None:
    if old.revoked_at is not None:
        raise CertificateRefused(_("A revoked certificate cannot be renewed or upgraded; issue a new one."))
    if decision.decision_date < old.decision_date:
        raise CertificateRefused(_("The new decision must not be older than the certificate it replaces (%(date)s).",
                                   date=old.decision_date.strftime("%d/%m/%Y")))


# --- expiry notices -------------------------------------------------------------------------------

def producer_addresses(producer) -> list[str]:
    """Where a producer is written to: its own address, else its active accounts' addresses."""
    if producer.email:
        return [producer.email.strip()]
    return list(db.session.scalars(
        select(User.email).where(User.producer_id == producer.id, User.role == Role.PRODUCER,
                                 User.active.is_(True)).order_by(User.id)))


def queue_expiry_notice(certificate: Certificate, threshold: int, day: date | None = None):
    """Stage the producer's notice that `certificate` ends within `threshold` days: once per certificate
    and threshold, however often it is asked. None when already queued or when nobody can be written to."""
    day = day or today()
    addresses = producer_addresses(certificate.product.producer)
    if not addresses:
        return None
    until = certificate.valid_until.strftime("%d/%m/%Y")
    days_left = certificate.days_left_on(day)
    product = certificate.product
    subject = (f"Giấy chứng nhận OCOP {certificate.number} hết hạn ngày {until} "
               f"/ OCOP certificate {certificate.number} expires on {until}")
    body = (
        f"Kính gửi {product.producer.name},\n\n"
        f"Giấy chứng nhận OCOP số {certificate.number} ({certificate.stars} sao) của sản phẩm "
        f"“{product.name_vi}” hết hiệu lực ngày {until}, còn {days_left} ngày. Để sản phẩm tiếp tục mang "
        f"nhãn OCOP, vui lòng nộp hồ sơ đánh giá lại tại {certificate.renewing_authority}. Sau ngày "
        f"hết hạn, sản phẩm không còn được giới thiệu là sản phẩm OCOP trên trang.\n\n"
        f"Dear {product.producer.name},\n\n"
        f"OCOP certificate {certificate.number} ({certificate.stars} stars) of “{product.name_en or product.name_vi}” "
        f"ends on {until}, in {days_left} days. To keep the OCOP mark, apply for re-evaluation to "
        f"{certificate.renewing_authority}. After that day the product is no longer presented as OCOP in the shop.\n")
    return queue_message("certificate-expiring", ", ".join(addresses), subject, body,
                         dedupe_key=f"certificate-{certificate.id}-expiring-{threshold}")
