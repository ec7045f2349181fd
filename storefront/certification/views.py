"""Public verification: anyone holding a package can check its OCOP certificate, in either language."""
from flask import redirect, render_template, request, url_for

from ..clock import today
from ..i18n import LocalizedBlueprint
from ..pagecache import cached_page
from .numbers import certificate_key, clean_text
from .queries import current_certificate, find_for_verification

bp = LocalizedBlueprint("certification", __name__)

MAX_INPUT = 60


def _shown(typed: str) -> str:
    """What was typed, as it may be echoed back: printable, spaces collapsed, and not too long."""
    text = clean_text(typed)
    return text if len(text) <= MAX_INPUT else ""


@bp.route("/verify")
def verify():
    """The form; a typed number or code goes to its own page, so the result can be shared."""
    typed = request.args.get("q", "")
    if typed.strip():
        shown = _shown(typed)
        if not certificate_key(shown):
            return render_template("storefront/certification/not_found.html", typed=""), 404
        return redirect(url_for("certification.certificate", identifier=shown))
    return render_template("storefront/certification/verify.html")


@bp.route("/verify/<path:identifier>")
@cached_page
def certificate(identifier):
    """Case, spaces, dashes and Unicode forms do not matter: find_for_verification compares keys."""
    certificates = find_for_verification(identifier) if len(identifier) <= 4 * MAX_INPUT else []
    if not certificates:
        return render_template("storefront/certification/not_found.html", typed=_shown(identifier)), 404
    day = today()
    results = [(certificate, certificate.status_on(day), _current_elsewhere(certificate, day))
               for certificate in certificates]
    return render_template("storefront/certification/result.html", results=results, day=day)


def _current_elsewhere(certificate, day):
    """The certificate that now covers the same product, when it is not this one (a renewal)."""
    current = current_certificate(certificate.product, day)
    return current if current is not None and current.id != certificate.id else None
