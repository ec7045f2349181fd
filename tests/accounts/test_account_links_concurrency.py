"""On PostgreSQL, with real threads and connections: a one-time link followed twice at the same moment
works once, and two accounts claiming the same new address at the same moment cannot both get it."""
import threading

import pytest
from sqlalchemy import func, select

from storefront.accounts import operations as account_operations
from storefront.accounts.models import User, UserSession
from storefront.audit.models import AuditEntry
from storefront.extensions import db

from account_mail import link_in, messages_to
from races import STUCK, in_parallel
from shared import ON_POSTGRES, PASSWORD

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not ON_POSTGRES, reason="concurrent connections need PostgreSQL")]


def at_the_same_moment(monkeypatch, function_name):
    """Both requests reach `function_name` (a step after reading what the link is for, before writing)
    before either goes on: each has read the state the other is about to change."""
    barrier = threading.Barrier(2, timeout=STUCK)
    original = getattr(account_operations, function_name)

    def wait_for_the_other(*args, **kwargs):
        barrier.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(account_operations, function_name, wait_for_the_other)


def test_the_same_reset_link_used_twice_at_once_works_once(app, make_user, monkeypatch):
    user = make_user(email="lan@example.vn")
    db.session.commit()
    app.test_client().post("/forgot-password", data={"email": user.email})
    link = link_in(messages_to(user.email)[-1], "reset-password")
    user_id = user.id
    db.session.remove()
    at_the_same_moment(monkeypatch, "check_password_strength")
    passwords = ["mật-khẩu-của-lần-thứ-nhất", "mật-khẩu-của-lần-thứ-hai"]
    browsers = [app.test_client(), app.test_client()]
    responses = in_parallel(*[lambda b=b, p=p: b.post(link, data={"password": p, "confirm": p})
                              for b, p in zip(browsers, passwords)])
    assert sorted(r.status_code for r in responses) == [302, 410]
    winner = [r.status_code for r in responses].index(302)
    assert "đã được dùng" in responses[1 - winner].get_data(as_text=True)
    assert db.session.get(User, user_id).check_password(passwords[winner])
    assert db.session.scalar(select(func.count()).select_from(UserSession)
                             .where(UserSession.ended_at.is_(None))) == 1
    assert browsers[winner].get("/account").status_code == 200
    assert browsers[1 - winner].get("/account").status_code == 302
    # One password reset; the winner's browser, new to the account, is signed in once.
    assert sorted(db.session.scalars(select(AuditEntry.action))) == ["user.reset_password", "user.sign_in_new_device"]


def test_the_same_address_link_followed_twice_at_once_changes_it_once(app, make_user, sign_in, monkeypatch):
    user = make_user(email="lan@example.vn")
    db.session.commit()
    sign_in(user).post("/account/email", data={"email-email": "lan.moi@example.vn", "email-password": PASSWORD})
    link = link_in(messages_to("lan.moi@example.vn")[-1], "account/email/confirm")
    user_id = user.id
    db.session.remove()
    at_the_same_moment(monkeypatch, "find_user")
    responses = in_parallel(lambda: app.test_client().post(link), lambda: app.test_client().post(link))
    assert sorted(r.status_code for r in responses) == [303, 410]
    assert db.session.get(User, user_id).email == "lan.moi@example.vn"
    assert db.session.scalars(select(AuditEntry.action)).all() == ["user.change_email"]


def test_two_accounts_claiming_one_address_at_once_cannot_both_get_it(app, make_user, monkeypatch):
    first, second = make_user(email="lan@example.vn"), make_user(email="hoa@example.vn")
    db.session.commit()
    links = []
    for user in (first, second):
        browser = app.test_client()
        browser.post("/sign-in", data={"email": user.email, "password": PASSWORD})
        browser.post("/account/email", data={"email-email": "chung@example.vn", "email-password": PASSWORD})
        links.append(link_in(messages_to("chung@example.vn")[-1], "account/email/confirm"))
    db.session.remove()
    at_the_same_moment(monkeypatch, "find_user")
    responses = in_parallel(*[lambda link=link: app.test_client().post(link) for link in links])
    assert sorted(r.status_code for r in responses) == [303, 410]
    assert sorted(db.session.scalars(select(User.email)).all()) == sorted(
        ["chung@example.vn", "lan@example.vn" if responses[1].status_code == 303 else "hoa@example.vn"])
