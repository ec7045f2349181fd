"""On PostgreSQL, with real threads and connections: two administrators demoting or closing each other at
the same moment leave the office with an administrator."""
import threading

import pytest
from sqlalchemy import func, select

from storefront.accounts import operations as account_operations
from storefront.accounts.models import Role, User
from storefront.extensions import db

from races import STUCK, in_parallel
from shared import ON_POSTGRES, PASSWORD

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not ON_POSTGRES, reason="concurrent connections need PostgreSQL")]


@pytest.mark.parametrize("action,data", [("role", "viewer"), ("close", None)])
def test_two_administrators_removing_each_other_at_once_leave_one(app, make_user, monkeypatch, action, data):
    first = make_user(role=Role.ADMIN, email="mot@ocop.example.vn")
    second = make_user(role=Role.ADMIN, email="hai@ocop.example.vn")
    db.session.commit()
    browsers = {}
    for user in (first, second):
        browsers[user.id] = app.test_client()
        assert browsers[user.id].post("/sign-in", data={"email": user.email, "password": PASSWORD}).status_code == 302
    ids = (first.id, second.id)
    db.session.remove()
    # Both requests have read the account they change before either locks the administrators.
    barrier = threading.Barrier(2, timeout=STUCK)
    original = account_operations._refuse_acting_on_oneself

    def wait_for_the_other(*args):
        original(*args)
        barrier.wait()

    monkeypatch.setattr(account_operations, "_refuse_acting_on_oneself", wait_for_the_other)

    def remove(actor, target):
        form = {f"user-{target}-role": data} if data else {}
        return lambda: browsers[actor].post(f"/admin/office-accounts/{target}/{action}", data=form).status_code

    statuses = in_parallel(remove(ids[0], ids[1]), remove(ids[1], ids[0]))
    assert sorted(statuses) == [302, 303]  # one done, one refused with its reason
    open_administrators = db.session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN, User.active.is_(True)))
    assert open_administrators == 1
