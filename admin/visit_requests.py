"""Requests to visit the OCOP destinations: the office sees them all, each producer its own."""
from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from storefront.locator.queries import visit_requests

from .navigation import add, admin_nav, producer_nav
from .views import bp as admin
from .workspace import bp as producer

add(admin_nav, "admin.visit_requests_list", _l("Visit requests"), 45)
add(producer_nav, "producer.visit_requests_own", _l("Visit requests"), 25)


@admin.route("/admin/visit-requests")
def visit_requests_list():
    return render_template("admin/visit_requests.html", requests=visit_requests(), for_office=True)


@producer.route("/producer/visit-requests")
def visit_requests_own():
    return render_template("admin/visit_requests.html", requests=visit_requests(current_user.producer_id),
                           for_office=False)
