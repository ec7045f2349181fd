"""An administrator renews a certificate that is about to end; buyers verify certificates; the producer
downloads its QR code. Every page passes axe with no serious or critical violation."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from storefront.accounts.models import Role, SecondFactor, User
from storefront.audit.models import AuditEntry
from storefront.certification.models import Certificate
from storefront.certification.queries import expiry_dashboard
from storefront.clock import today
from storefront.extensions import db

from shop import enrol_second_factor, type_second_factor_code

pytestmark = pytest.mark.e2e

PASSWORD = "mật-khẩu-thử-nghiệm-1"


@pytest.fixture
def office(in_demo):
    """An administrator and a producer account in the demo, and a certificate ending within 30 days.
    What the test adds is removed afterwards: the demo is shared by every browser test."""
    def setup():
        certificate = expiry_dashboard().within_30[0]
        users = [User(email="e2e.admin@ocop.example", role=Role.ADMIN, name="Cán bộ OCOP"),
                 User(email="e2e.producer@ocop.example", role=Role.PRODUCER, name="Chủ thể",
                      producer_id=certificate.product.producer_id)]
        for user in users:
            user.set_password(PASSWORD)
            db.session.add(user)
        db.session.flush()
        enrol_second_factor(users[0])
        db.session.commit()
        return {"id": certificate.id, "number": certificate.number, "product_id": certificate.product_id,
                "product": certificate.product.name_vi, "stars": certificate.stars,
                "authority": certificate.authority, "code": certificate.verification_code,
                "valid_until": certificate.valid_until}

    created = in_demo(setup)
    yield created

    def teardown():
        renewals = select(Certificate.id).where(Certificate.replaces_id == created["id"])
        db.session.execute(delete(AuditEntry).where(AuditEntry.object_type == "certificate",
                                                    AuditEntry.object_id.in_(renewals)))
        db.session.execute(delete(Certificate).where(Certificate.replaces_id == created["id"]))
        db.session.execute(delete(SecondFactor).where(SecondFactor.user_id.in_(
            select(User.id).where(User.email == "e2e.admin@ocop.example"))))
        db.session.execute(delete(User).where(User.email.in_(["e2e.admin@ocop.example",
                                                              "e2e.producer@ocop.example"])))
        db.session.commit()
    in_demo(teardown)


def sign_in(page, email, app=None):
    """Sign in; the administrator answers the second factor with its app's code (`app`: the demo app)."""
    page.goto("/en/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    if page.url.split("?")[0].endswith("/sign-in/code"):
        type_second_factor_code(page, app, email)


def test_an_administrator_renews_a_certificate_about_to_end(open_page, check_page, office, demo_app):
    page = open_page()
    sign_in(page, "e2e.admin@ocop.example", demo_app)
    expect(page).to_have_url(re.compile(r"/en/admin/$"))
    expect(page.get_by_role("heading", name="Certificates to follow up")).to_be_visible()
    check_page(page)

    page.get_by_role("link", name="See them with the producers to contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificates to follow up")
    check_page(page)
    soon = page.locator("section", has=page.get_by_role("heading", name="Ending within 30 days"))
    soon.get_by_role("link", name=office["number"]).first.click()
    expect(page).to_have_url(re.compile(rf"/en/admin/certificates/{office['id']}$"))
    check_page(page)

    page.get_by_role("link", name="Renew", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Renew certificate {office['number']}")
    check_page(page)
    decided = today() - timedelta(days=1)
    page.get_by_label("Certificate number").fill("E2E-001/2026/OCOP")
    page.get_by_label("Score (out of 100)").fill("66" if office["stars"] == 3 else "80")
    page.get_by_label("Decision number").fill("999/QĐ-UBND")
    page.get_by_label("Decision date").fill(decided.isoformat())
    page.get_by_role("button", name="Renew").click()

    until = (decided.replace(year=decided.year + 3) - timedelta(days=1)).strftime("%d/%m/%Y")
    expect(page.locator(".flashes")).to_contain_text(
        f"Certificate {office['number']} renewed by E2E-001/2026/OCOP, valid until {until}.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificate E2E-001/2026/OCOP")
    history = page.locator("section", has=page.get_by_role("heading", name="The product’s certificates"))
    expect(history).to_contain_text(f"replaces {office['number']}")
    expect(page.locator(".audit-entries")).to_contain_text("Certificate renewed")
    check_page(page)

    # The renewed certificate leaves the follow-up list, and the public page answers for the new one.
    page.goto("/en/admin/certificates/expiring")
    expect(page.locator("section", has=page.get_by_role("heading", name="Ending within 30 days"))) \
        .not_to_contain_text(office["product"])
    page.goto("/en/verify/E2E-001/2026/OCOP")
    expect(page.locator(".verify-status--valid")).to_contain_text("Genuine and valid today")
    check_page(page)

    page.goto("/en/admin/audit?action=certificate.renew")
    expect(page.get_by_role("table")).to_contain_text("e2e.admin@ocop.example")
    check_page(page)
    page.goto("/en/admin/certificates/?status=expiring")
    check_page(page)
    page.goto("/en/admin/certificates/new?q=t")
    check_page(page)


@pytest.mark.parametrize("lang, device", [("", "desktop"), ("/en", "desktop"), ("", "phone")])
def test_the_verification_pages_answer_in_both_languages(open_page, check_page, office, lang, device):
    page = open_page(device)
    page.goto(f"{lang}/verify")
    check_page(page)
    page.get_by_role("textbox").fill(office["code"].lower())
    page.get_by_role("button", name="Verify" if lang else "Kiểm tra").click()
    expect(page.locator(".verify-status--valid").first).to_be_visible()
    expect(page.locator("main")).to_contain_text(office["product"] if not lang else office["number"])
    check_page(page)
    page.log.expect_error_status(f"{lang}/verify/000/1999/KHONG-CO")
    page.goto(f"{lang}/verify/000/1999/KHONG-CO")
    expect(page.get_by_role("alert")).to_contain_text(
        "Not found — this is not a genuine certificate number." if lang
        else "Không tìm thấy — đây không phải số giấy chứng nhận thật.")
    check_page(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_producer_sees_its_certificates_and_downloads_the_qr_code(open_page, check_page, office):
    page = open_page()
    sign_in(page, "e2e.producer@ocop.example")
    page.goto("/producer/certificates")
    expect(page.get_by_role("heading", level=1)).to_have_text("Giấy chứng nhận OCOP của bạn")
    expect(page.locator(".notice--warn")).to_contain_text(office["number"])
    check_page(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Mã QR của {office['number']}, định dạng PNG").first.click()
    assert download.value.suggested_filename == f"ocop-{office['code']}.png"
    page.goto("/en/producer/certificates")
    check_page(page)
