"""An administrator resets a colleague's lost second factor (never their own), audited, and every session of
the account ends; the first administrator's is reset with `flask user reset-second-factor`."""
import threading

import pyotp
import pytest
from sqlalchemy import func, select

from storefront.accounts.models import RecoveryCode, Role, SecondFactor, UserSession
from storefront.accounts.second_factor import current_step
from storefront.audit.models import AuditEntry
from storefront.extensions import db

from backoffice import admin_client  # noqa: F401
from races import STUCK, in_parallel
from shared import ON_POSTGRES, PASSWORD, TOTP_SECRET


def factors_of(user) -> int:
    return db.session.scalar(select(func.count(SecondFactor.id)).where(SecondFactor.user_id == user.id))


def live_sessions_of(user) -> int:
    user_id = user if isinstance(user, int) else user.id
    return db.session.scalar(select(func.count(UserSession.id)).where(UserSession.user_id == user_id,
                                                                      UserSession.ended_at.is_(None)))


def test_the_list_shows_each_accounts_state(admin_client, make_user):
    make_user(role=Role.ORDER_DESK, email="desk@ocop.vn", second_factor=False)
    make_user(role=Role.PRODUCER, email="htx@example.vn")
    make_user(email="shopper@example.vn")
    page = admin_client.get("/en/admin/second-factors").get_data(as_text=True)
    assert "desk@ocop.vn" in page and "Not set up yet" in page and "htx@example.vn" in page
    assert "shopper@example.vn" not in page
    assert "Order desk" in page and "On since" in page


def test_an_administrator_resets_a_colleagues_second_factor(app, admin_client, make_user, sign_in):
    colleague = make_user(role=Role.CERTIFICATE_OFFICER, email="can.bo@ocop.vn")
    colleague_browser = sign_in(colleague)
    assert live_sessions_of(colleague) == 1
    unconfirmed = admin_client.post(f"/en/admin/users/{colleague.id}/second-factor/reset", data={})
    assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.get_data(as_text=True)
    assert factors_of(colleague) == 1
    response = admin_client.post(f"/admin/users/{colleague.id}/second-factor/reset", data={"confirm": "y"})
    assert response.status_code == 303
    assert factors_of(colleague) == 0 and live_sessions_of(colleague) == 0
    assert colleague_browser.get("/account").status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.second_factor_reset"))
    assert entry.object_id == colleague.id and entry.actor_label == "office@ocop.vn"
    # At the next sign-in the colleague sets a new one up before anything else.
    browser = app.test_client()
    answer = browser.post("/sign-in", data={"email": colleague.email, "password": PASSWORD})
    assert answer.location == "/account/second-factor/setup"
    again = admin_client.post(f"/en/admin/users/{colleague.id}/second-factor/reset", data={"confirm": "y"})
    assert again.status_code == 409 and "no second factor to reset" in again.get_data(as_text=True)


def test_nobody_resets_their_own_and_only_administrators_reset(app, admin_client, make_user, sign_in):
    own = admin_client.post(f"/en/admin/users/{admin_client.user.id}/second-factor/reset", data={"confirm": "y"})
    assert own.status_code == 403 and "cannot reset your own" in own.get_data(as_text=True)
    assert factors_of(admin_client.user) == 1
    viewer = make_user(role=Role.VIEWER)
    office_viewer = sign_in(viewer)
    refused = office_viewer.post(f"/admin/users/{admin_client.user.id}/second-factor/reset", data={"confirm": "y"})
    assert refused.status_code == 403
    assert factors_of(admin_client.user) == 1
    assert admin_client.post("/admin/users/99999/second-factor/reset", data={"confirm": "y"}).status_code == 404
    assert db.session.scalar(select(func.count(AuditEntry.id))
                             .where(AuditEntry.action == "user.second_factor_reset")) == 0


def test_the_command_line_resets_the_first_administrators(app, make_user):
    admin = make_user(role=Role.ADMIN, email="first@ocop.vn")
    db.session.add(RecoveryCode(user_id=admin.id, code_hash="x" * 64))
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["user", "reset-second-factor", "FIRST@ocop.vn"])
    assert result.exit_code == 0, result.output
    assert factors_of(admin) == 0
    assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.second_factor_reset"))
    assert entry.actor_label == "command line" and entry.object_id == admin.id
    again = runner.invoke(args=["user", "reset-second-factor", "first@ocop.vn"])
    assert again.exit_code != 0 and "không có xác thực hai lớp" in again.output
    unknown = runner.invoke(args=["user", "reset-second-factor", "nobody@ocop.vn"])
    assert unknown.exit_code != 0 and "No account" in unknown.output


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent connections need PostgreSQL")
def test_one_code_sent_twice_at_the_same_moment_signs_in_once(app, make_user, monkeypatch):
    from storefront.accounts import second_factor

    office = make_user(role=Role.ADMIN)
    db.session.commit()
    browsers = [app.test_client(), app.test_client()]
    for browser in browsers:
        browser.answers_second_factor = False
        assert browser.post("/sign-in", data={"email": office.email, "password": PASSWORD}).status_code == 302
    office_id = office.id
    db.session.remove()
    # Both requests have read the factor's last step before either moves it.
    barrier = threading.Barrier(2, timeout=STUCK)
    original = second_factor._matching_step

    def wait_for_the_other(*args, **kwargs):
        step = original(*args, **kwargs)
        barrier.wait()
        return step

    monkeypatch.setattr(second_factor, "_matching_step", wait_for_the_other)
    code = pyotp.TOTP(TOTP_SECRET).generate_otp(current_step())
    results = in_parallel(*(lambda browser=browser: browser.post("/sign-in/code", data={"code": code}).status_code
                            for browser in browsers))
    assert sorted(results) == [302, 401]
    assert live_sessions_of(office_id) == 1
