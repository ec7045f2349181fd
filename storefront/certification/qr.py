"""QR codes for packaging: each points at the certificate's public verification page."""
import io

import segno
from flask import current_app, url_for

from .models import Certificate

QR_KINDS = {"svg": "image/svg+xml", "png": "image/png"}


def verification_url(certificate: Certificate) -> str:
    """The address printed in the QR code: by the unguessable code, on the configured public site."""
    path = url_for("certification.certificate", identifier=certificate.verification_code, lang="vi")
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base + path
    return url_for("certification.certificate", identifier=certificate.verification_code, lang="vi",
                   _external=True)


def qr_image(certificate: Certificate, kind: str) -> bytes:
    """The QR code as SVG (scales to any print size) or PNG (about 4 cm at 300 dpi), with its quiet zone."""
    code = segno.make(verification_url(certificate), error="m", micro=False)
    out = io.BytesIO()
    if kind == "svg":
        code.save(out, kind="svg", scale=10, border=4, title=f"OCOP {certificate.number}",
                  xmldecl=True, svgclass=None, lineclass=None)
    elif kind == "png":
        code.save(out, kind="png", scale=16, border=4)
    else:
        raise ValueError(kind)
    return out.getvalue()


def qr_download(certificate: Certificate, kind: str):
    """A response that downloads the QR code as ocop-<code>.<kind>."""
    response = current_app.response_class(qr_image(certificate, kind), mimetype=QR_KINDS[kind])
    response.headers["Content-Disposition"] = f'attachment; filename="ocop-{certificate.verification_code}.{kind}"'
    return response
