"""Public verification: anyone holding a package can check its OCOP certificate, in either language."""
from flask import redirect, render_template, request, url_for

from ..clock import today
from ..i18n import LocalizedBlueprint
from ..pagecache import cached_page
from .queries import current_certificate, find_for_verification

bp = LocalizedBlueprint("certification", __name__)

MAX_INPUT = 60


def _plausible(typed: str) -> bool:
    """Something a certificate number or code could be: printable and not too long."""
    return 0 < len(typed) <= MAX_INPUT and typed.isprintable()


@bp.route("/verify")
def verify():
    """The form; a typed number or code goes to its own page, so the result can be shared."""
    typed = " ".join(request.args.get("q", "").split())
    if typed:
        if not _plausible(typed):
            return render_template("storefront/certification/not_found.html", typed=""), 404
        return redirect(url_for("certification.certificate", identifier=typed))
    return render_template("storefront/certification/verify.html")


@bp.route("/verify/<path:identifier>")
@cached_page
def certificate(identifier):
    typed = " ".join(identifier.split())
    certificates = find_for_verification(typed) if _plausible(typed) else []
    if not certificates:
        return render_template("storefront/certification/not_found.html",
                               typed=typed if _plausible(typed) else ""), 404
    day = today()
    results = [(certificate, certificate.status_on(day), _current_elsewhere(certificate, day))
               for certificate in certificates]
    return render_template("storefront/certification/result.html", results=results, day=day)


def _current_elsewhere(certificate, day):
    """The certificate that now covers the same product, when it is not this one (a renewal)."""
    current = current_certificate(certificate.product, day)
    return current if current is not None and current.id != certificate.id else None
