"""The route × role matrix, walked from the app's own URL map: every route has a line in the access table,
and every visitor gets exactly what that line gives them, over HTTP."""
import re

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from storefront.accounts.access import ACCESS, ANYONE, SIGNED_IN, audience
from storefront import create_app
from storefront.accounts.models import OFFICE_ROLES, Role, User
from storefront.config import TestConfig
from storefront.extensions import db

from shared import PASSWORD
from shop import ShopClient, enrol_second_factor

VISITORS = (None, *Role)  # None: an anonymous visitor
# Routes that end the very session the walk goes on with: their refusals are walked, their use is not.
ENDS_THE_SESSION = {"accounts.sign_out", "accounts.sign_out_everywhere_view"}
# Routes open to all whose view then refuses, for its own reason, a visitor who holds nothing it needs: an
# order's page asks for the order's phone (403), the second factor's set-up page wants a password step
# behind it (or a signed-in owner) and sends anyone else to sign in. That refusal is the view's, not the table's.
VIEW_REFUSES = {"orders.cancel": "forbidden", "accounts.second_factor_setup": "sign in"}


def routes(app):
    """(endpoint, method, path) of every route the app serves, in Vietnamese, its parameters filled in."""
    seen = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/<any(en):lang>"):
            continue  # the English twin of a route shares its endpoint, so its line
        path = re.sub(r"<(?:[^<>:]+(?:\([^)]*\))?:)?([^<>:]+)>",
                      lambda match: sample(rule._converters[match[1]]), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (rule.endpoint, method) not in seen:
                seen.add((rule.endpoint, method))
                yield rule.endpoint, method, path


def sample(converter) -> str:
    if isinstance(converter, IntegerConverter):
        return "999999"
    if isinstance(converter, AnyConverter):
        return "en"
    return "xx"


def may(who, role) -> bool:
    if who == ANYONE:
        return True
    if role is None or who is None:
        return False
    return who == SIGNED_IN or role in who


def refused(response) -> str | None:
    """How the response refuses the visitor, if it does."""
    if response.status_code == 403:
        return "forbidden"
    if response.status_code in (301, 302, 303) and "/sign-in?" in response.location:
        return "sign in"
    return None


def test_every_route_has_a_line_for_each_of_its_methods(app):
    missing = [(endpoint, method) for endpoint, method, _ in routes(app) if audience(endpoint, method) is None]
    assert missing == [], "routes without an access rule: add them to storefront/accounts/access.py"


def test_the_table_names_only_routes_that_exist(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(set(ACCESS) - endpoints) == []


def test_a_route_without_a_line_is_refused_to_everyone(tmp_path):
    """A shop of its own, with one route added that the table does not name."""
    app = create_app(type("Config", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unruled.db'}", "MEDIA_ROOT": str(tmp_path / "media"),
        "SEARCH_INDEX_DIR": str(tmp_path / "index")}))
    app.test_client_class = ShopClient

    @app.route("/a-route-nobody-ruled-on")
    def unruled():
        return "should not be seen"

    with app.app_context():
        db.create_all()
        user = User(email="quan.tri@ocop.example.vn", role=Role.ADMIN)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.flush()
        enrol_second_factor(user)
        db.session.commit()
        assert app.test_client().get("/a-route-nobody-ruled-on").status_code == 403
        admin = app.test_client()
        assert admin.post("/sign-in", data={"email": user.email, "password": PASSWORD}).status_code == 302
        assert admin.get("/a-route-nobody-ruled-on").status_code == 403
        assert admin.get("/admin/").status_code == 200
        db.session.remove()
        db.engine.dispose()


def test_every_route_for_every_visitor(app, make_user):
    """Each of about 170 (route, method) pairs, as an anonymous visitor and as each of the six roles."""
    clients = {None: app.test_client()}
    for role in Role:
        user = make_user(role=role, email=f"{role.value}@matrix.example.vn")
        db.session.commit()
        clients[role] = app.test_client()
        response = clients[role].post("/sign-in", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, role
    walked = wrong = 0
    problems = []
    for endpoint, method, path in routes(app):
        if endpoint == "static":
            continue
        who = audience(endpoint, method)
        for role in VISITORS:
            allowed = may(who, role)
            if allowed and endpoint in ENDS_THE_SESSION:
                continue
            response = clients[role].open(path, method=method)
            walked += 1
            how = refused(response)
            if allowed and how is not None and VIEW_REFUSES.get(endpoint) == how:
                how = None
            expected = None if allowed else ("sign in" if role is None else "forbidden")
            if how != expected:
                wrong += 1
                problems.append((method, path, role and role.value, response.status_code, expected))
    assert problems == [], "\n".join(map(str, problems))
    assert walked > 700 and wrong == 0


@pytest.mark.parametrize("role", sorted(OFFICE_ROLES))
def test_each_office_role_sees_its_part_of_the_menu(app, make_user, sign_in, role):
    client = sign_in(make_user(role=role))
    page = client.get("/admin/").get_data(as_text=True)
    menu = page[page.index('class="backoffice-nav"'):page.index("</nav>", page.index('class="backoffice-nav"'))]
    assert ("/admin/office-accounts" in menu) == (role == Role.ADMIN)
    assert "/admin/products" in menu and "/admin/sales-points" in menu
    products = client.get("/admin/products").get_data(as_text=True)
    assert ("/admin/products/new" in products) == (role in (Role.ADMIN, Role.CERTIFICATE_OFFICER))


def test_a_viewer_sees_lists_without_a_control_that_changes_anything(app, make_user, make_product, sign_in):
    product = make_product(name_vi="Mạch nha Thi Phổ", stars=4)
    certificate = product.certificates[0]
    client = sign_in(make_user(role=Role.VIEWER))
    for path in ("/admin/products", "/admin/producers", "/admin/certificates/",
                 f"/admin/certificates/{certificate.id}", "/admin/sales-points", "/admin/areas",
                 "/admin/catalogue-files", "/admin/orders", "/admin/moderation"):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        main = page[page.index('<main'):]
        assert 'method="post"' not in main, path
        assert "/new" not in main and "/renew" not in main and "/upgrade" not in main, path
    products = client.get("/admin/products").get_data(as_text=True)
    assert "Mạch nha Thi Phổ" in products and f'/admin/products/{product.id}"' not in products


def test_a_certificate_officer_changes_certificates_but_not_orders_or_accounts(make_user, make_product, sign_in):
    product = make_product(stars=3)
    certificate = product.certificates[0]
    client = sign_in(make_user(role=Role.CERTIFICATE_OFFICER))
    page = client.get(f"/admin/certificates/{certificate.id}").get_data(as_text=True)
    assert f"/admin/certificates/{certificate.id}/revoke" in page and f"/admin/certificates/{certificate.id}/renew" in page
    assert client.post(f"/admin/certificates/{certificate.id}/revoke", data={"reason": "Thử"}).status_code != 403
    assert client.post("/admin/orders/DH-1/ship").status_code == 403
    assert client.get("/admin/office-accounts").status_code == 403
    assert client.get("/admin/users").status_code == 403


def test_an_order_desk_works_orders_but_not_certificates(make_user, make_product, sign_in):
    product = make_product(stars=3)
    certificate = product.certificates[0]
    client = sign_in(make_user(role=Role.ORDER_DESK))
    assert client.get("/admin/orders").status_code == 200
    assert client.get("/admin/visit-requests").status_code == 200
    page = client.get(f"/admin/certificates/{certificate.id}").get_data(as_text=True)
    assert f"/admin/certificates/{certificate.id}/revoke" not in page
    assert client.post(f"/admin/certificates/{certificate.id}/revoke", data={"reason": "Thử"}).status_code == 403
    assert client.get("/admin/certificates/new").status_code == 403


def test_a_role_change_applies_from_the_next_request(app, make_user, sign_in):
    officer = make_user(role=Role.CERTIFICATE_OFFICER)
    client = sign_in(officer)
    assert client.get("/admin/certificates/new").status_code == 200
    officer.role = Role.VIEWER
    db.session.commit()
    assert client.get("/admin/certificates/new").status_code == 403
    assert client.get("/admin/certificates/").status_code == 200


def test_pages_that_need_an_account_are_never_kept_by_a_shared_cache(make_user, sign_in):
    client = sign_in(make_user(role=Role.VIEWER))
    for path in ("/admin/", "/account"):
        assert client.get(path).headers["Cache-Control"] == "private, no-store"
