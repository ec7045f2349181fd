"""The verbs of a certificate's life: issue, renew, upgrade, revoke, attach the scanned decision.

Each validates, stages its changes and the audit entry in the session, and never commits. Products
follow their certificates by themselves: their stars are derived from the certificates' dates.
"""
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import exists, select

from ..audit.operations import record as audit_record
from ..accounts.models import Role, User
from ..catalog.models import Product
from ..clock import today, utcnow
from ..errors import DomainError
from ..extensions import db
from ..media.pipeline import ImageRejected, store_image
from ..media.operations import holds_files
from ..media.storage import media_store
from ..notifications.operations import queue_message
from .models import Certificate, CertificationLevel, default_valid_until, new_verification_code
from .numbers import certificate_key, clean_text
from .rules import check_certificate, number_breach

TEXT_LIMITS = {"number": 60, "decision_number": 60, "authority": 200}
REASON_LIMIT = 1000


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
    """A new certificate for `product`, valid from its decision date; the producer is told."""
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
    announce_certificates([(certificate, ANNOUNCED_ACTIONS.get(action, "issued"))])
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


def check_revocation(certificate: Certificate, reason: str, reason_en: str = "") -> tuple[str, str]:
    """The reasons as they would be stored, or CertificateRefused: what the confirmation step shows."""
    reason, reason_en = clean_text(reason), clean_text(reason_en)
    if certificate.revoked_at is not None:
        raise CertificateRefused(_("This certificate was already revoked on %(date)s.",
                                   date=certificate.revoked_on.strftime("%d/%m/%Y")))
    if len(reason) < 5:
        raise CertificateRefused(_("Give the reason for revoking the certificate."))
    if len(reason) > REASON_LIMIT or len(reason_en) > REASON_LIMIT:
        raise CertificateRefused(_("The reason is too long (at most 1,000 characters)."))
    return reason, reason_en


def revoke_certificate(certificate: Certificate, reason: str, reason_en: str = "") -> Certificate:
    """Revoked from now on: the product loses this certificate's stars today, and the producer is told why.
    `reason` is the authority's, in Vietnamese; `reason_en` an optional English translation for visitors."""
    reason, reason_en = check_revocation(certificate, reason, reason_en)
    certificate.revoked_at = utcnow()
    certificate.revocation_reason = reason
    certificate.revocation_reason_en = reason_en or None
    audit_record("certificate.revoke", certificate, note=reason)
    announce_certificates([(certificate, "revoked")])
    return certificate


# --- the scanned decision ------------------------------------------------------------------------

PDF_HEADER = re.compile(rb"^%PDF-[12]\.\d")
# Active content has no place in a scanned decision: refuse it rather than serve it to the office.
PDF_ACTIVE_CONTENT = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA|OpenAction|AA)\b")
IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF")


def decision_pdf_name(key: str) -> str:
    """The scanned decision's name in the media store."""
    return f"decisions/{key[:2]}/{key}.pdf"


def decision_pdf(key: str) -> bytes | None:
    return media_store().get(decision_pdf_name(key))


@holds_files
def decision_pdfs_in_use() -> set[str]:
    return {decision_pdf_name(key) for key in db.session.scalars(
        select(Certificate.decision_pdf_key).where(Certificate.decision_pdf_key.is_not(None)))}


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
    media_store().put(decision_pdf_name(key), data)
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
    values = {name: clean_text(getattr(decision, name)) for name in TEXT_LIMITS}
    for name, label in (("number", _("certificate number")), ("decision_number", _("decision number")),
                        ("authority", _("issuing authority"))):
        if not values[name]:
            raise CertificateRefused(_("The %(field)s is missing.", field=label))
        if len(values[name]) > TEXT_LIMITS[name]:
            raise CertificateRefused(_("The %(field)s is too long (at most %(limit)s characters).",
                                       field=label, limit=TEXT_LIMITS[name]))
    if (breach := number_breach(values["number"])) is not None:
        raise CertificateRefused(breach.message)
    breaches = check_certificate(stars=decision.stars, score=decision.score, level=decision.level,
                                 decision_date=decision.decision_date, valid_until=decision.valid_until,
                                 today=today())
    if breaches:
        raise CertificateRefused(" ".join(breach.message for breach in breaches))
    if number_taken(values["authority"], values["number"]):
        raise CertificateRefused(_("%(authority)s already issued a certificate numbered %(number)s.",
                                   authority=values["authority"], number=values["number"]))
    return Decision(values["number"], decision.stars, decision.score, values["decision_number"],
                    decision.decision_date, values["authority"], decision.level, decision.valid_until)


def number_taken(authority: str, number: str) -> bool:
    """Whether `authority` already issued `number`, however either was typed (the unique constraint's rule)."""
    return bool(db.session.scalar(select(exists().where(Certificate.authority == authority,
                                                        Certificate.number_key == certificate_key(number)))))


def _check_replaceable(old: Certificate, decision: Decision) -> None:
    if old.revoked_at is not None:
        raise CertificateRefused(_("A revoked certificate cannot be renewed or upgraded; issue a new one."))
    if decision.decision_date < old.decision_date:
        raise CertificateRefused(_("The new decision must not be older than the certificate it replaces (%(date)s).",
                                   date=old.decision_date.strftime("%d/%m/%Y")))


# --- expiry notices -------------------------------------------------------------------------------

def producer_addresses(producer) -> list[str]:
    """Where a producer is written to: its own address and those of its active accounts (as a new order's
    notice finds them), each once, in a stable order."""
    addresses = {producer.email.strip().lower()} if producer.email and producer.email.strip() else set()
    addresses.update(email.strip().lower() for email in db.session.scalars(
        select(User.email).where(User.producer_id == producer.id, User.role == Role.PRODUCER,
                                 User.active.is_(True))) if email and email.strip())
    return sorted(addresses)


# What the producer hears of: the audit action of each operation, as the notice names it.
ANNOUNCED_ACTIONS = {"certificate.issue": "issued", "certificate.renew": "renewed",
                     "certificate.upgrade": "upgraded", "certificate.import": "issued"}
ANNOUNCED_EVENTS = ("issued", "renewed", "upgraded", "revoked")


def announce_certificates(changes: list[tuple[Certificate, str]]):
    """Stage, in Vietnamese, the notice of each certificate issued, renewed, upgraded or revoked: one message
    per producer (an import may bring several), to the producer's address and its active accounts' together.
    Each certificate and event is announced once, however often this is asked. Returns the messages queued."""
    if any(certificate.id is None for certificate, _event in changes):
        db.session.flush()  # the notice names itself after the certificates' ids
    by_producer: dict[int, list[tuple[Certificate, str]]] = {}
    for certificate, event in changes:
        if event not in ANNOUNCED_EVENTS:
            raise ValueError(f"unknown certificate event {event!r}")
        by_producer.setdefault(certificate.product.producer_id, []).append((certificate, event))
    queued = []
    with force_locale("vi"):
        for items in by_producer.values():
            producer = items[0][0].product.producer
            addresses = producer_addresses(producer)
            if not addresses:
                continue  # the office calls them: the expiring list shows their phone
            if len(items) == 1:
                certificate, event = items[0]
                dedupe_key = f"certificate-{certificate.id}-{event}"
                subject = _announcement_subject(certificate, event)
            else:
                ids = ";".join(f"{certificate.id}:{event}" for certificate, event in items)
                dedupe_key = f"certificates-{producer.id}-{hashlib.sha256(ids.encode()).hexdigest()[:24]}"
                subject = _("%(count)s OCOP certificates of your products were recorded", count=len(items))
            body = "\n\n".join([_("Dear %(producer)s,", producer=producer.name)]
                                + [_announcement_line(certificate, event) for certificate, event in items]
                                + [_("You find your certificates, their state and the QR codes to print on your "
                                     "packaging on the Certificates page of your producer workspace."),
                                   _("The OCOP office of Quảng Ngãi")])
            message = queue_message(f"certificate-{items[0][1]}" if len(items) == 1 else "certificate-import",
                                    ", ".join(addresses), subject, body, dedupe_key=dedupe_key)
            if message is not None:
                queued.append(message)
    return queued


def _announcement_subject(certificate: Certificate, event: str) -> str:
    product = certificate.product.name_vi
    if event == "revoked":
        return _("OCOP certificate %(number)s of %(product)s was revoked", number=certificate.number, product=product)
    if event == "renewed":
        return _("OCOP certificate of %(product)s renewed: %(number)s", number=certificate.number, product=product)
    if event == "upgraded":
        return _("%(product)s now holds %(stars)s OCOP stars: certificate %(number)s", number=certificate.number,
                 product=product, stars=certificate.stars)
    return _("OCOP certificate %(number)s issued for %(product)s", number=certificate.number, product=product)


def _announcement_line(certificate: Certificate, event: str) -> str:
    values = {"number": certificate.number, "product": certificate.product.name_vi, "stars": certificate.stars,
              "score": certificate.score, "decision": certificate.decision_number,
              "decided": certificate.decision_date.strftime("%d/%m/%Y"), "authority": certificate.authority,
              "until": certificate.valid_until.strftime("%d/%m/%Y"),
              "old": certificate.replaces.number if certificate.replaces is not None else ""}
    if event == "revoked":
        return _("Certificate %(number)s of “%(product)s” (%(stars)s stars) was revoked on %(date)s. Reason given "
                 "by the certifying authority: %(reason)s. From that day the product is no longer presented as "
                 "OCOP-certified in the shop; to carry the OCOP mark again it must be evaluated again.",
                 date=certificate.revoked_on.strftime("%d/%m/%Y"), reason=certificate.revocation_reason, **values)
    if event == "renewed" and values["old"]:
        return _("“%(product)s” keeps its %(stars)s OCOP stars: certificate %(number)s (decision %(decision)s of "
                 "%(decided)s, %(authority)s, %(score)s/100 points) renews %(old)s and is valid until %(until)s.",
                 **values)
    if event == "upgraded" and values["old"]:
        return _("“%(product)s” now holds %(stars)s OCOP stars: certificate %(number)s (decision %(decision)s of "
                 "%(decided)s, %(authority)s, %(score)s/100 points) replaces %(old)s and is valid until %(until)s.",
                 **values)
    return _("“%(product)s” is certified OCOP with %(stars)s stars: certificate %(number)s (decision %(decision)s "
             "of %(decided)s, %(authority)s, %(score)s/100 points), valid until %(until)s.", **values)


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
