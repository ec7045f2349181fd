"""The office's own accounts, run by its administrators in the back office: invitations with a role, role
changes, closing and reopening, each audited; never one's own account, never the last administrator."""
import pytest
from sqlalchemy import select

from storefront.accounts import operations
from storefront.accounts.models import Role, User
from storefront.audit.models import AuditEntry
from storefront.errors import DomainError
from storefront.extensions import db

from account_mail import link_in, messages_to
from shared import PASSWORD

NEW_PASSWORD = "Hồ-sơ-chứng-nhận-2026!"


def audit(action, user) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action,
                                                       AuditEntry.object_id == user.id)).all()


@pytest.fixture
def administrator(make_user):
    return make_user(role=Role.ADMIN, email="truong.phong@ocop.example.vn", name="Trưởng phòng")


@pytest.fixture
def office(administrator, sign_in):
    return sign_in(administrator)


def test_the_list_shows_office_accounts_only_with_their_roles(office, make_user):
    make_user(role=Role.VIEWER, email="xem@ocop.example.vn")
    make_user(role=Role.ORDER_DESK, email="moi.vao@ocop.example.vn", second_factor=False)
    make_user(role=Role.CUSTOMER, email="khach@example.vn")
    make_user(role=Role.PRODUCER, email="htx@example.vn")
    page = office.get("/admin/office-accounts").get_data(as_text=True)
    assert "xem@ocop.example.vn" in page and "truong.phong@ocop.example.vn" in page
    assert "khach@example.vn" not in page and "htx@example.vn" not in page
    assert "Người xem" in page and "Quản trị viên" in page
    invited = page[page.index("moi.vao@ocop.example.vn"):page.index("</tr>", page.index("moi.vao@ocop.example.vn"))]
    assert "Chưa thiết lập" in invited
    assert "Bật từ" in page[page.index("xem@ocop.example.vn"):]
    english = office.get("/en/admin/office-accounts").get_data(as_text=True)
    assert "Viewer" in english and "Office accounts" in english
    found = office.get("/admin/office-accounts?q=XEM%40").get_data(as_text=True)
    assert "xem@ocop.example.vn" in found and "truong.phong@" not in found


def test_an_invited_colleague_chooses_a_password_and_holds_the_role(app, office, administrator):
    response = office.post("/admin/office-accounts/invite",
                           data={"email": "  Can.Bo@OCOP.example.vn ", "name": "Cán bộ chứng nhận",
                                 "role": "certificate_officer"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "can.bo@ocop.example.vn"))
    assert user.role == Role.CERTIFICATE_OFFICER and user.is_office
    [mail] = messages_to(user.email, "invite")
    assert "Cán bộ chứng nhận" in mail.body
    entry = audit("user.invite", user)[0]
    assert entry.actor_id == administrator.id and entry.changes["role"] == [None, "certificate_officer"]
    colleague = app.test_client()
    link = link_in(mail, "set-password")
    assert colleague.get(link).status_code == 200
    chosen = colleague.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert chosen.status_code == 302
    assert colleague.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code != 302
    assert colleague.post("/sign-in", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302


@pytest.mark.parametrize("fields,message", [
    ({"email": "không-phải-email", "role": "viewer"}, "địa chỉ email đúng dạng"),
    ({"email": "truong.phong@ocop.example.vn", "role": "viewer"}, "đã có tài khoản"),
    ({"email": "moi@ocop.example.vn", "role": "superuser"}, "Hãy chọn"),
    ({"email": "moi@ocop.example.vn", "role": "customer"}, "Hãy chọn"),
    ({"email": "moi@ocop.example.vn", "role": "producer"}, "Hãy chọn"),
    ({"email": "", "role": "viewer"}, "email của người được mời"),
])
def test_an_invitation_that_cannot_be_sent_says_why_and_opens_nothing(office, fields, message):
    response = office.post("/admin/office-accounts/invite", data={"name": "", **fields})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message.lower() in page.lower()
    assert db.session.scalar(select(User).where(User.email == "moi@ocop.example.vn")) is None
    assert messages_to("moi@ocop.example.vn") == []


def test_a_role_change_is_audited_and_applies_at_once(app, office, make_user, administrator):
    colleague = make_user(role=Role.ORDER_DESK, email="don.hang@ocop.example.vn")
    desk = app.test_client()
    db.session.commit()
    desk.post("/sign-in", data={"email": colleague.email, "password": PASSWORD})
    assert desk.get("/admin/certificates/new").status_code == 403
    response = office.post(f"/admin/office-accounts/{colleague.id}/role",
                           data={f"user-{colleague.id}-role": "certificate_officer"})
    assert response.status_code == 302
    assert db.session.get(User, colleague.id).role == Role.CERTIFICATE_OFFICER
    entry = audit("user.change_role", colleague)[0]
    assert entry.changes["role"] == ["order_desk", "certificate_officer"] and entry.actor_id == administrator.id
    assert desk.get("/admin/certificates/new").status_code == 200
    log = office.get(f"/admin/audit?object_type=user&object_id={colleague.id}").get_data(as_text=True)
    assert "Đổi vai trò" in log and "Cán bộ chứng nhận" in log


@pytest.mark.parametrize("value", ["superuser", "customer", "", "admin\x00"])
def test_a_role_that_is_not_an_office_role_changes_nothing(office, make_user, value):
    colleague = make_user(role=Role.VIEWER)
    response = office.post(f"/admin/office-accounts/{colleague.id}/role", data={f"user-{colleague.id}-role": value})
    assert response.status_code in (303, 400)
    assert db.session.get(User, colleague.id).role == Role.VIEWER
    assert audit("user.change_role", colleague) == []


def test_nobody_changes_their_own_account_here(office, administrator):
    for path, data in ((f"/admin/office-accounts/{administrator.id}/role", {f"user-{administrator.id}-role": "viewer"}),
                       (f"/admin/office-accounts/{administrator.id}/close", {}),
                       (f"/admin/office-accounts/{administrator.id}/reinvite", {})):
        response = office.post(path, data=data)
        assert response.status_code == 303, path
        assert "tài khoản của chính bạn" in office.get("/admin/office-accounts").get_data(as_text=True)
    user = db.session.get(User, administrator.id)
    assert user.role == Role.ADMIN and user.active
    assert office.get("/admin/").status_code == 200


def test_the_last_open_administrator_is_never_demoted_or_closed(make_user, administrator):
    deputy = make_user(role=Role.ADMIN, email="pho.phong@ocop.example.vn")
    operations.change_office_role(deputy, Role.VIEWER, acting=administrator)
    db.session.commit()
    # Acting in its name (as a race between two administrators would), the last one cannot go.
    with pytest.raises(DomainError, match="cuối cùng còn mở"):
        operations.change_office_role(administrator, Role.VIEWER, acting=deputy)
    with pytest.raises(DomainError, match="cuối cùng còn mở"):
        operations.set_office_account_active(administrator, False, acting=deputy)
    db.session.rollback()
    assert db.session.get(User, administrator.id).role == Role.ADMIN


def test_a_closed_account_is_signed_out_at_once_and_can_be_opened_again(app, office, make_user):
    colleague = make_user(role=Role.VIEWER, email="xem@ocop.example.vn")
    db.session.commit()
    viewer = app.test_client()
    viewer.post("/sign-in", data={"email": colleague.email, "password": PASSWORD})
    assert viewer.get("/admin/").status_code == 200
    assert office.post(f"/admin/office-accounts/{colleague.id}/close").status_code == 302
    response = viewer.get("/admin/")
    assert response.status_code == 302 and "/sign-in" in response.location
    refused = viewer.post("/sign-in", data={"email": colleague.email, "password": PASSWORD})
    assert refused.status_code != 302
    assert audit("user.close", colleague)
    assert office.post(f"/admin/office-accounts/{colleague.id}/reopen").status_code == 302
    assert viewer.post("/sign-in", data={"email": colleague.email, "password": PASSWORD}).status_code == 302
    assert audit("user.reopen", colleague)


def test_a_new_link_voids_the_old_one(app, office, make_user):
    colleague = make_user(role=Role.ORDER_DESK, email="don.hang@ocop.example.vn")
    office.post(f"/admin/office-accounts/{colleague.id}/reinvite")
    first = link_in(messages_to(colleague.email, "invite")[-1], "set-password")
    office.post(f"/admin/office-accounts/{colleague.id}/reinvite")
    second = link_in(messages_to(colleague.email, "invite")[-1], "set-password")
    browser = app.test_client()
    assert browser.post(first, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code != 302
    assert browser.post(second, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert len(audit("user.reinvite", colleague)) == 2


@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.PRODUCER])
def test_accounts_outside_the_office_are_not_found_here(office, make_user, role):
    other = make_user(role=role)
    for action in ("role", "close", "reopen", "reinvite"):
        assert office.post(f"/admin/office-accounts/{other.id}/{action}",
                           data={f"user-{other.id}-role": "admin"}).status_code == 404
    assert db.session.get(User, other.id).role == role


def test_a_forged_form_changes_nothing(office, make_user):
    colleague = make_user(role=Role.VIEWER)
    response = office.post(f"/admin/office-accounts/{colleague.id}/role",
                           data={f"user-{colleague.id}-role": "admin"}, csrf=False)
    assert response.status_code == 400
    assert db.session.get(User, colleague.id).role == Role.VIEWER


@pytest.mark.parametrize("role", [Role.CERTIFICATE_OFFICER, Role.ORDER_DESK, Role.VIEWER])
def test_only_administrators_run_the_office_accounts(make_user, sign_in, role):
    colleague = make_user(role=Role.VIEWER)
    client = sign_in(make_user(role=role))
    assert client.get("/admin/office-accounts").status_code == 403
    assert client.post("/admin/office-accounts/invite", data={"email": "x@ocop.example.vn", "role": "admin"}
                       ).status_code == 403
    assert client.post(f"/admin/office-accounts/{colleague.id}/role",
                       data={f"user-{colleague.id}-role": "admin"}).status_code == 403
    assert db.session.get(User, colleague.id).role == Role.VIEWER
    assert db.session.scalar(select(User).where(User.email == "x@ocop.example.vn")) is None
