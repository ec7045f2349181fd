"""A producer's own certificates, read-only: what is valid, what ends soon, and the QR codes to print."""
from flask import abort, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from storefront.certification.models import Certificate
from storefront.certification.qr import QR_KINDS, qr_download
from storefront.certification.queries import certificates_of_producer, is_superseded
from storefront.clock import today
from storefront.extensions import db

from .certificates import decision_document
from .navigation import add, producer_nav
from .workspace import bp

add(producer_nav, "producer.certificates", _l("Certificates"), 20)


def _own_certificate(certificate_id: int) -> Certificate:
    """The signed-in producer's certificate; another producer's is as absent as one that does not exist."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.product.producer_id != current_user.producer_id:
        abort(404)
    return certificate


@bp.route("/producer/certificates")
def certificates():
    day = today()
    rows = [(certificate, certificate.status_on(day), certificate.days_left_on(day), is_superseded(certificate))
            for certificate in certificates_of_producer(current_user.producer_id)]
    return render_template("producer/certificates.html", rows=rows, day=day, producer=current_user.producer)


@bp.route("/producer/certificates/<int:certificate_id>/qr.<kind>")
def qr(certificate_id, kind):
    if kind not in QR_KINDS:
        abort(404)
    return qr_download(_own_certificate(certificate_id), kind)


@bp.route("/producer/certificates/<int:certificate_id>/document")
def document(certificate_id):
    return decision_document(_own_certificate(certificate_id))
