"""On PostgreSQL, with real threads and connections: signing out races requests of the same session, and
once the sign-out has committed no request with the old cookies is served as signed in; guesses sent at
the same moment cannot slip past the guessing limits."""
import threading

import pytest
from flask import template_rendered
from sqlalchemy import select

from storefront.accounts import guessing
from storefront.accounts.models import UserSession
from storefront.extensions import db

from races import in_parallel
from shared import ON_POSTGRES, PASSWORD

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not ON_POSTGRES, reason="concurrent connections need PostgreSQL")]

REMEMBER = "remember_token"
# Only a deadlock would take this long; nothing in these tests waits on the clock otherwise.
STUCK = 60


def cookies_of(client) -> dict:
    return {name: cookie.value for name in ("session", REMEMBER)
            if (cookie := client.get_cookie(name)) is not None}


def browser_with(app, cookies: dict):
    browser = app.test_client()
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    return browser


@pytest.fixture
def signed_in(app, make_user, monkeypatch):
    """A browser signed in with "keep me signed in"; every request writes last_seen_at, so that the
    requests racing the sign-out write the very row it ends."""
    monkeypatch.setitem(app.config, "SESSION_TOUCH_SECONDS", 0)
    user = make_user()
    db.session.commit()
    browser = app.test_client()
    assert browser.post("/sign-in", data={"email": user.email, "password": PASSWORD,
                                          "remember": "y"}).status_code == 302
    db.session.remove()
    return browser


def test_a_request_in_flight_during_sign_out_does_not_keep_the_session_alive(app, signed_in):
    stolen = cookies_of(signed_in)
    in_view, release = threading.Event(), threading.Event()
    slow = {}

    def hold(sender, template, context, **extra):
        if threading.current_thread().name == "slow-request":
            in_view.set()
            release.wait(STUCK)

    def slow_request():
        browser = browser_with(app, stolen)
        slow["response"] = browser.get("/account")
        slow["cookies"] = cookies_of(browser)

    def sign_out():
        slow["sign_out"] = signed_in.post("/sign-out")

    template_rendered.connect(hold, app)
    try:
        request_thread = threading.Thread(target=slow_request, name="slow-request")
        request_thread.start()
        assert in_view.wait(STUCK)
        # The slow request has loaded its account and is still running: the sign-out must not wait for it.
        sign_out_thread = threading.Thread(target=sign_out)
        sign_out_thread.start()
        sign_out_thread.join(STUCK)
        signed_out_while_in_flight = not sign_out_thread.is_alive()
    finally:
        release.set()
        template_rendered.disconnect(hold, app)
    request_thread.join(STUCK)
    sign_out_thread.join(STUCK)
    assert signed_out_while_in_flight, "signing out waited for a request of the same session"
    assert slow["sign_out"].status_code == 302
    assert slow["response"].status_code == 200  # it began before the sign-out

    # Every cookie left over, including those the late response set, opens nothing any more.
    for cookies in (stolen, slow["cookies"], {REMEMBER: stolen[REMEMBER]}, {"session": stolen["session"]}):
        assert browser_with(app, cookies).get("/account").status_code == 302, cookies
    assert db.session.scalar(select(UserSession.ended_at)) is not None


def test_no_request_that_starts_after_sign_out_is_served_signed_in(app, signed_in):
    stolen = cookies_of(signed_in)
    signed_out = threading.Event()
    start = threading.Barrier(9)
    answers = []

    def keep_asking():
        browser = browser_with(app, stolen)
        start.wait(STUCK)
        for _ in range(12):
            after_sign_out = signed_out.is_set()
            answers.append((after_sign_out, browser.get("/account").status_code))

    workers = [threading.Thread(target=keep_asking) for _ in range(8)]
    for worker in workers:
        worker.start()
    start.wait(STUCK)
    assert signed_in.post("/sign-out").status_code == 302
    signed_out.set()
    for worker in workers:
        worker.join(STUCK)
    late = [status for after, status in answers if after]
    assert late and set(late) == {302}, answers
    assert set(status for _, status in answers) <= {200, 302}


def test_guesses_sent_at_the_same_moment_cannot_slip_past_the_count(app, make_user):
    make_user(email="lan@example.vn")
    db.session.commit()
    db.session.remove()
    attackers = []
    for n in range(24):
        attacker = app.test_client()
        attacker.csrf_token()
        attackers.append((attacker, n))
    start = threading.Barrier(len(attackers))
    answers = []

    def guess(attacker, n):
        start.wait(STUCK)
        answers.append(attacker.post("/sign-in", data={"email": "lan@example.vn", "password": f"doan-{n}"},
                                     environ_base={"REMOTE_ADDR": f"192.0.2.{n + 1}"}).status_code)

    threads = [threading.Thread(target=guess, args=pair) for pair in attackers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(STUCK)
    assert sorted(answers) == [401] * guessing.FREE_FAILURES + [429] * (len(attackers) - guessing.FREE_FAILURES)


def test_attempts_within_the_free_count_at_the_same_moment_are_all_let_through(app):
    """Attempts that find the count already moved by one at the same moment are not told to wait for it."""
    def attempt(key, start):
        def run():
            with app.app_context():
                start.wait(STUCK)
                return guessing.take_attempt(key)
        return run

    for round_ in range(20):
        start = threading.Barrier(guessing.FREE_FAILURES)
        key = f"account:same-moment-{round_}"
        waits = in_parallel(*[attempt(key, start) for _ in range(guessing.FREE_FAILURES)])
        assert waits == [0] * guessing.FREE_FAILURES, f"round {round_}: {waits}"
