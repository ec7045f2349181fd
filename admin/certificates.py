"""The OCOP office's certificates: issue, renew, upgrade, revoke, attach the decision, follow expiries."""
import io

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from storefront.audit.models import AuditEntry
from storefront.audit.queries import readable_entries
from storefront.catalog.models import Product
from storefront.certification.forms import DecisionDocumentForm, DecisionForm, RevokeForm
from storefront.certification.models import PROVINCE_AUTHORITY, Certificate, CertificationLevel
from storefront.certification.operations import (DocumentRejected, attach_decision_document, check_revocation,
                                                 decision_pdf, issue_certificate, producer_addresses,
                                                 renew_certificate, revoke_certificate, upgrade_certificate)
from storefront.certification.qr import QR_KINDS, qr_download, verification_url
from storefront.certification.queries import (LIST_FILTERS, certificate_history, certificate_list,
                                              current_stars, expiry_dashboard, is_superseded,
                                              products_to_certify)
from storefront.clock import today
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.text import whole_number

from .navigation import add, admin_nav
from .paging import MAX_QUERY, list_arguments
from .views import bp

add(admin_nav, "admin.certificates", _l("Certificates"), 20)
add(admin_nav, "admin.certificate_expiries", _l("Expiring certificates"), 21)

PER_PAGE = 50
LIST_SORTS = {"newest": None}  # the list has one order: newest decision first


def _certificate(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        abort(404)
    return certificate


@bp.route("/admin/certificates/")
def certificates():
    status = request.args.get("status", "all")
    if status not in LIST_FILTERS:
        status = "all"
    text, _sort, page = list_arguments(LIST_SORTS, "newest")
    rows, total = certificate_list(status, text, page, PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    if page > pages:
        abort(404)
    return render_template("admin/certificates/list.html", rows=rows, total=total, status=status, text=text,
                           page=page, pages=pages, day=today())


@bp.route("/admin/certificates/expiring")
def certificate_expiries():
    return render_template("admin/certificates/expiring.html", dashboard=expiry_dashboard())


@bp.route("/admin/certificates/new", methods=["GET", "POST"])
def new_certificate():
    product_id = request.args.get("product", "")
    if not product_id:
        text = request.args.get("q", "")[:MAX_QUERY]
        return render_template("admin/certificates/pick_product.html", text=text,
                               products=products_to_certify(text), stars=_current_stars_of)
    # Only a number a row can have reaches the database (PostgreSQL refuses one beyond its integers).
    product_id = whole_number(product_id, 1)
    product = db.session.get(Product, product_id) if product_id is not None else None
    if product is None:
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            certificate = issue_certificate(product, form.decision())
        except DomainError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Certificate %(number)s issued.", number=certificate.number), "success")
            return redirect(url_for("admin.certificate", certificate_id=certificate.id))
    return render_template("admin/certificates/decision_form.html", form=form, product=product, old=None,
                           mode="issue"), 400 if form.is_submitted() else 200


def _current_stars_of(product: Product) -> int | None:
    subquery = current_stars()
    return db.session.scalar(select(subquery.c.stars).where(subquery.c.product_id == product.id))


@bp.route("/admin/certificates/<int:certificate_id>")
def certificate(certificate_id):
    return _detail(_certificate(certificate_id))


def _detail(certificate: Certificate, revoke_form=None, document_form=None, status_code=200):
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "certificate", AuditEntry.object_id == certificate.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(50)).all()
    return render_template("admin/certificates/detail.html", certificate=certificate, day=today(),
                           status=certificate.status_on(today()), history=certificate_history(certificate),
                           superseded=is_superseded(certificate), entries=readable_entries(entries),
                           revoke_form=revoke_form or RevokeForm(),
                           document_form=document_form or DecisionDocumentForm(),
                           verify_url=verification_url(certificate)), status_code


def _replacement(certificate_id: int, mode: str):
    old = _certificate(certificate_id)
    if old.revoked_at is not None:
        flash(_("A revoked certificate cannot be renewed or upgraded; issue a new one."), "error")
        return redirect(url_for("admin.certificate", certificate_id=old.id))
    form = DecisionForm()
    if not form.is_submitted():
        form.stars.data = min(old.stars + 1, 5) if mode == "upgrade" else old.stars
        if old.level is CertificationLevel.DISTRICT:  # districts stopped certifying on 1 July 2025
            form.authority.data, form.level.data = PROVINCE_AUTHORITY, CertificationLevel.PROVINCE.value
        else:
            form.authority.data, form.level.data = old.authority, old.level.value
    if form.validate_on_submit():
        operation = upgrade_certificate if mode == "upgrade" else renew_certificate
        try:
            new = operation(old, form.decision())
        except DomainError as error:
            form.form_errors.append(str(error))
        else:
            message = (_("Certificate %(number)s issued: %(stars)s stars, replacing %(old)s.", number=new.number,
                         stars=new.stars, old=old.number) if mode == "upgrade" else
                       _("Certificate %(old)s renewed by %(number)s, valid until %(date)s.", old=old.number,
                         number=new.number, date=new.valid_until.strftime("%d/%m/%Y")))
            flash(message, "success")
            return redirect(url_for("admin.certificate", certificate_id=new.id))
    return render_template("admin/certificates/decision_form.html", form=form, product=old.product, old=old,
                           mode=mode), 400 if form.is_submitted() else 200


@bp.route("/admin/certificates/<int:certificate_id>/renew", methods=["GET", "POST"])
def renew(certificate_id):
    return _replacement(certificate_id, "renew")


@bp.route("/admin/certificates/<int:certificate_id>/upgrade", methods=["GET", "POST"])
def upgrade(certificate_id):
    if _certificate(certificate_id).stars >= 5:
        flash(_("A 5-star certificate cannot be upgraded."), "error")
        return redirect(url_for("admin.certificate", certificate_id=certificate_id))
    return _replacement(certificate_id, "upgrade")


@bp.route("/admin/certificates/<int:certificate_id>/revoke", methods=["POST"])
def revoke(certificate_id):
    """First post: the reasons, answered by a confirmation page; its "Revoke" revokes (no JavaScript needed)."""
    certificate = _certificate(certificate_id)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            if form.confirmed.data != "yes":
                reason, reason_en = check_revocation(certificate, form.reason.data, form.reason_en.data)
                form.confirmed.data = "yes"
                return render_template("admin/certificates/revoke_confirm.html", certificate=certificate,
                                       form=form, reason=reason, reason_en=reason_en, day=today(),
                                       addresses=producer_addresses(certificate.product.producer))
            revoke_certificate(certificate, form.reason.data, form.reason_en.data)
        except DomainError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Certificate %(number)s revoked: the product is no longer shown as OCOP, and the producer "
                    "is told why.", number=certificate.number), "success")
            return redirect(url_for("admin.certificate", certificate_id=certificate.id))
    form.confirmed.data = ""
    return _detail(certificate, revoke_form=form, status_code=400)


@bp.route("/admin/certificates/<int:certificate_id>/document", methods=["POST"])
def attach_document(certificate_id):
    certificate = _certificate(certificate_id)
    form = DecisionDocumentForm()
    if form.validate_on_submit():
        try:
            attach_decision_document(certificate, form.document.data.read(current_app.config["DECISION_MAX_BYTES"] + 1))
        except DocumentRejected as error:
            form.document.errors.append(str(error))
        else:
            flash(_("The scanned decision is attached to certificate %(number)s.", number=certificate.number),
                  "success")
            return redirect(url_for("admin.certificate", certificate_id=certificate.id))
    return _detail(certificate, document_form=form, status_code=400)


def decision_document(certificate: Certificate):
    """The scanned decision: the PDF as stored, or the photo's largest rendition."""
    if certificate.decision_pdf_key:
        data = decision_pdf(certificate.decision_pdf_key)
        if data is None:
            abort(404)
        return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=False,
                         download_name=f"decision-{certificate.verification_code}.pdf", max_age=0)
    if certificate.decision_image is not None:
        image = certificate.decision_image
        width = image.widths[-1]
        return redirect(url_for("media.rendition", prefix=image.key[:2], key=image.key, width=width))
    abort(404)


@bp.route("/admin/certificates/<int:certificate_id>/document")
def document(certificate_id):
    return decision_document(_certificate(certificate_id))


@bp.route("/admin/certificates/<int:certificate_id>/qr.<kind>")
def qr(certificate_id, kind):
    if kind not in QR_KINDS:
        abort(404)
    return qr_download(_certificate(certificate_id), kind)
