"""The OCOP office's back office at /admin."""
from flask import render_template

from storefront.bankfeed.queries import to_reconcile_count
from storefront.certification.queries import expiry_dashboard
from storefront.i18n import LocalizedBlueprint
from storefront.reports.queries import province_figures

bp = LocalizedBlueprint("admin", __name__)


@bp.route("/admin/")
def dashboard():
    return render_template("admin/dashboard.html", figures=province_figures(),
                           expiry=expiry_dashboard(), transfers_to_reconcile=to_reconcile_count())
