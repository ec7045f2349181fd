"""Who may use each route: one table, read before every request, for the storefront and the back office.

Every endpoint of the app has a line in ACCESS, naming who may use it for each method; a route without a
line is refused to everyone (and tests/accounts/test_access_matrix.py fails). Templates ask `may_use` to
show only the links and buttons the visitor may follow.
"""
from flask import abort, g, redirect, request, url_for
from flask_login import current_user

from .models import OFFICE_ROLES, Role

ANYONE = "anyone"  # no account needed
SIGNED_IN = "signed in"  # any account, whatever its role

OFFICE = frozenset(OFFICE_ROLES)  # the office's read-only pages: every office role, the viewer included
ADMINISTRATOR = frozenset({Role.ADMIN})
CERTIFICATES = frozenset({Role.ADMIN, Role.CERTIFICATE_OFFICER})  # certificates, listings, moderation, import
ORDER_DESK = frozenset({Role.ADMIN, Role.ORDER_DESK})  # orders, refunds, visit requests
PRODUCER = frozenset({Role.PRODUCER})

READ_METHODS = ("GET", "HEAD")


def rule(everything=None, *, read=None, change=None) -> dict:
    """Who may use a route: `everything` for every method, or `read` (GET) and `change` (POST) apart."""
    if everything is not None:
        return {"GET": everything, "POST": everything}
    return {"GET": read, "POST": change}


def read_only(who) -> dict:
    return rule(read=who)


ACCESS: dict[str, dict] = {
    # The storefront: anyone.
    "static": rule(ANYONE),
    "media.rendition": rule(ANYONE),
    "site.home": rule(ANYONE),
    "site_plain.healthz": rule(ANYONE),
    "site_plain.live": rule(ANYONE),
    "site_plain.robots": rule(ANYONE),
    "site_plain.sitemap": rule(ANYONE),
    "catalog.products": rule(ANYONE),
    "catalog.product": rule(ANYONE),
    "catalog.producer": rule(ANYONE),
    "catalog_api.products": rule(ANYONE),
    "search.results": rule(ANYONE),
    "search_api.suggest": rule(ANYONE),
    "certification.verify": rule(ANYONE),
    "certification.certificate": rule(ANYONE),
    "locator.sales_points": rule(ANYONE),
    "locator.sales_point": rule(ANYONE),
    "locator.destinations": rule(ANYONE),
    "locator.visit_request": rule(ANYONE),
    "locator.visit_request_sent": rule(ANYONE),
    "locator_api.geojson": rule(ANYONE),
    "locator_api.nearest": rule(ANYONE),
    "reports.figures": rule(ANYONE),
    "policies.policy": rule(ANYONE),
    "reports_api.stats": rule(ANYONE),
    "cart.show": rule(ANYONE),
    "cart.add": rule(ANYONE),
    "cart.update": rule(ANYONE),
    "cart.set_quantity": rule(ANYONE),
    "cart.remove": rule(ANYONE),
    "checkout.checkout": rule(ANYONE),
    "shipping.quote_json": read_only(ANYONE),
    "shipping.choose_province": rule(change=ANYONE),
    "addresses_api.communes": rule(ANYONE),
    # An order's page asks a guest for the order's phone; the views decide whose order it is.
    "orders.find": rule(ANYONE),
    "orders.order_page": rule(ANYONE),
    "orders.cancel": rule(ANYONE),
    "payments.pages.open_card_payment": rule(ANYONE),
    "payments.stripe_webhook": rule(ANYONE),  # Stripe's signature is the check
    "bankfeed.webhook": rule(change=ANYONE),  # each service's key or signature is the check
    "orders.order_status": rule(ANYONE),
    "orders.vietqr_image": rule(ANYONE),
    # Accounts: the pages that let a visitor in are for anyone, the links they send carry their own proof.
    "accounts.sign_in": rule(ANYONE),
    "accounts.sign_out": rule(ANYONE),
    "accounts.register": rule(ANYONE),
    "accounts.registered": rule(ANYONE),
    "accounts.confirm_email": rule(ANYONE),
    "accounts.forgot_password": rule(ANYONE),
    "accounts.reset_sent": rule(ANYONE),
    "accounts.reset_password": rule(ANYONE),
    "accounts.accept_invite": rule(ANYONE),
    "accounts.confirm_email_change": rule(ANYONE),
    "accounts.account": rule(SIGNED_IN),
    "accounts.update_profile": rule(SIGNED_IN),
    "accounts.change_email": rule(SIGNED_IN),
    "accounts.change_password": rule(SIGNED_IN),
    "accounts.sign_out_everywhere_view": rule(SIGNED_IN),
    # The second factor: the code page and the set-up page serve an account between its password and its
    # sign-in (the views check the signed step it holds); the rest is the signed-in owner's.
    "accounts.sign_in_code": rule(ANYONE),
    "accounts.second_factor_setup": rule(ANYONE),
    "accounts.second_factor_page": rule(SIGNED_IN),
    "accounts.new_recovery_codes": rule(change=SIGNED_IN),
    "accounts.turn_off_second_factor": rule(change=SIGNED_IN),
    # The producers' workspace: each producer account, for its own producer (the views filter by it).
    "producer.dashboard": rule(PRODUCER),
    "producer.product": rule(PRODUCER),
    "producer.listing_text": rule(PRODUCER),
    "producer.price_stock": rule(PRODUCER),
    "producer.add_photo": rule(PRODUCER),
    "producer.remove_photo": rule(PRODUCER),
    "producer.discard_draft": rule(PRODUCER),
    "producer.profile": rule(PRODUCER),
    "producer.certificates": rule(PRODUCER),
    "producer.document": rule(PRODUCER),
    "producer.qr": rule(PRODUCER),
    "producer.order_lines": rule(PRODUCER),
    "producer.fulfil_line": rule(PRODUCER),
    "producer.visit_requests_own": rule(PRODUCER),
    # The office: what every office role may read, and who may change it.
    "admin.dashboard": read_only(OFFICE),
    "admin.reports": read_only(OFFICE),
    "admin.reports_export": read_only(OFFICE),
    "admin.audit_log": read_only(OFFICE),
    "admin.audit_log_export": read_only(OFFICE),
    "admin.certificates": read_only(OFFICE),
    "admin.certificate": read_only(OFFICE),
    "admin.certificate_expiries": read_only(OFFICE),
    "admin.document": read_only(OFFICE),
    "admin.qr": read_only(OFFICE),
    "admin.new_certificate": rule(CERTIFICATES),
    "admin.renew": rule(CERTIFICATES),
    "admin.upgrade": rule(CERTIFICATES),
    "admin.revoke": rule(change=CERTIFICATES),
    "admin.attach_document": rule(change=CERTIFICATES),
    "admin.products": read_only(OFFICE),
    "admin.product": rule(CERTIFICATES),
    "admin.new_product": rule(CERTIFICATES),
    "admin.publish_product": rule(change=CERTIFICATES),
    "admin.unpublish_product": rule(change=CERTIFICATES),
    "admin.add_product_photo": rule(change=CERTIFICATES),
    "admin.remove_product_photo": rule(change=CERTIFICATES),
    "admin.producers": read_only(OFFICE),
    "admin.producer": rule(CERTIFICATES),
    "admin.new_producer": rule(CERTIFICATES),
    "admin.publish_producer": rule(change=CERTIFICATES),
    "admin.unpublish_producer": rule(change=CERTIFICATES),
    "admin.moderation": read_only(OFFICE),
    "admin.listing_edit": read_only(OFFICE),
    "admin.approve_edit": rule(change=CERTIFICATES),
    "admin.reject_edit": rule(change=CERTIFICATES),
    "admin.catalogue_files": read_only(OFFICE),
    "admin.export_catalogue_file": read_only(OFFICE),
    "admin.upload_catalogue_file": rule(change=CERTIFICATES),
    "admin.import_catalogue_file": rule(change=CERTIFICATES),
    "admin.orders_list": read_only(OFFICE),
    "admin.order_detail": read_only(OFFICE),
    "admin.order_action": rule(change=ORDER_DESK),
    "admin.order_send_refunds": rule(change=ORDER_DESK),
    "admin.visit_requests_list": read_only(OFFICE),
    "admin.bank_transfers": read_only(OFFICE),
    "admin.bank_transfer": read_only(OFFICE),
    "admin.bank_transfer_action": rule(change=ORDER_DESK),
    "admin.bank_statement": read_only(OFFICE),
    "admin.bank_statement_export": read_only(OFFICE),
    # The province's places and the accounts: the administrator's.
    "admin.sales_points": read_only(OFFICE),
    "admin.sales_point": rule(ADMINISTRATOR),
    "admin.new_sales_point": rule(ADMINISTRATOR),
    "admin.publish_sales_point": rule(change=ADMINISTRATOR),
    "admin.unpublish_sales_point": rule(change=ADMINISTRATOR),
    "admin.add_sales_point_photo": rule(change=ADMINISTRATOR),
    "admin.sales_point_photos": rule(change=ADMINISTRATOR),
    "admin.remove_sales_point_photo": rule(change=ADMINISTRATOR),
    "admin.areas": read_only(OFFICE),
    "admin.area": rule(ADMINISTRATOR),
    "admin.new_area": rule(ADMINISTRATOR),
    "admin.users": rule(ADMINISTRATOR),
    "admin.invite_user": rule(ADMINISTRATOR),
    "admin.reinvite_user": rule(change=ADMINISTRATOR),
    "admin.close_user": rule(change=ADMINISTRATOR),
    "admin.reopen_user": rule(change=ADMINISTRATOR),
    "admin.office_accounts": rule(ADMINISTRATOR),
    "admin.invite_office_account": rule(ADMINISTRATOR),
    "admin.change_office_role": rule(change=ADMINISTRATOR),
    "admin.close_office_account": rule(change=ADMINISTRATOR),
    "admin.reopen_office_account": rule(change=ADMINISTRATOR),
    "admin.second_factors": rule(ADMINISTRATOR),
    "admin.reset_second_factor": rule(change=ADMINISTRATOR),
    "admin.reinvite_office_account": rule(change=ADMINISTRATOR),
}


def audience(endpoint: str | None, method: str = "GET"):
    """Who may use `endpoint` with `method`: ANYONE, SIGNED_IN, a set of roles, or None for nobody."""
    methods = ACCESS.get(endpoint or "")
    if methods is None:
        return None
    return methods.get("GET" if method in READ_METHODS else method)


def allows(who, user) -> bool:
    if who == ANYONE:
        return True
    if who is None or not user.is_authenticated:
        return False
    return who == SIGNED_IN or user.role in who


def may_use(endpoint: str, method: str = "GET") -> bool:
    """Whether the signed-in visitor (or the anonymous one) may use `endpoint`: for links and buttons."""
    return allows(audience(endpoint, method), current_user)


def sign_in_url() -> str:
    return url_for("accounts.sign_in", next=request.full_path.rstrip("?"))


def refusal():
    """None when the visitor may make this request; otherwise the refusal: anonymous visitors are sent to
    sign in (to a page they may then see), signed-in visitors without the right get 403."""
    if request.endpoint is None or request.method == "OPTIONS":
        return None  # no route matched: the 404 or 405 follows
    who = audience(request.endpoint, request.method)
    if who != ANYONE:
        g.private_page = True
    if allows(who, current_user):
        return None
    if not current_user.is_authenticated and who is not None:
        return redirect(sign_in_url())
    abort(403)


def keep_private(response):
    """Pages that need an account are for the one browser that asked: no shared cache may keep them."""
    if g.get("private_page"):
        response.headers["Cache-Control"] = "private, no-store"
    return response


def init_app(app) -> None:
    # First of all request checks, before the form token is read: a visitor who may not post here is told so
    # (or sent to sign in) whatever the body holds.
    app.before_request_funcs.setdefault(None, []).insert(0, refusal)
    app.after_request(keep_private)
    app.jinja_env.globals["may_use"] = may_use


def own_producer_id() -> int | None:
    """The producer the signed-in producer account acts for (None for everyone else)."""
    if current_user.is_authenticated and current_user.role == Role.PRODUCER:
        return current_user.producer_id
    return None
