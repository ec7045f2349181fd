"""Guessing passwords is slowed without locking the rightful owner out: a device the account was signed in on
keeps its own budget, unknown devices share one whose wait grows, and one address cannot try many accounts."""
from datetime import timedelta

from sqlalchemy import select

from storefront.accounts import guessing
from storefront.accounts.login import DEVICE_COOKIE
from storefront.accounts.models import SignInThrottle
from storefront.clock import utcnow
from storefront.extensions import db

from shared import PASSWORD

OWNER_ADDRESS = {"REMOTE_ADDR": "203.0.113.7"}
ATTACKER_ADDRESS = {"REMOTE_ADDR": "198.51.100.66"}


def attempt(client, email, password, lang="", **options):
    return client.post(f"{lang}/sign-in", data={"email": email, "password": password}, **options)


def test_the_owner_on_a_known_device_signs_in_while_an_attacker_hammers_the_account(app, make_user):
    make_user(email="lan@example.vn")
    db.session.commit()
    owner = app.test_client()
    assert attempt(owner, "lan@example.vn", PASSWORD, environ_base=OWNER_ADDRESS).status_code == 302
    assert owner.get_cookie(DEVICE_COOKIE) is not None
    owner.post("/sign-out")

    attacker = app.test_client()
    answers = [attempt(attacker, "lan@example.vn", f"doan-{n}", environ_base=ATTACKER_ADDRESS).status_code
               for n in range(40)]
    assert answers.count(401) == guessing.FREE_FAILURES and answers.count(429) == 40 - guessing.FREE_FAILURES
    # Even the right password is refused to a device the account never signed in on…
    stranger = app.test_client()
    assert attempt(stranger, "lan@example.vn", PASSWORD, environ_base=OWNER_ADDRESS).status_code == 429
    # …but the owner, on the phone they signed in on before, gets in: a typo first, then the password.
    assert attempt(owner, "lan@example.vn", "mat-khau-go-nham", environ_base=OWNER_ADDRESS).status_code == 401
    response = attempt(owner, "lan@example.vn", PASSWORD, environ_base=OWNER_ADDRESS)
    assert response.status_code == 302 and response.location == "/account"
    assert owner.get("/account").status_code == 200


def test_the_owner_on_a_known_device_is_not_stopped_by_an_attacker_on_the_same_address(app, make_user):
    """Phones share addresses behind the carriers' NAT: the address's limit does not apply to a known device."""
    make_user(email="lan@example.vn")
    db.session.commit()
    owner = app.test_client()
    attempt(owner, "lan@example.vn", PASSWORD, environ_base=OWNER_ADDRESS)
    owner.post("/sign-out")
    attacker = app.test_client()
    for n in range(app.config["SIGN_IN_LIMIT_PER_ADDRESS"] + 5):
        attempt(attacker, f"victim{n}@example.vn", "doan-mo-thu", environ_base=OWNER_ADDRESS)
    assert attempt(attacker, "other@example.vn", "doan-mo-thu", environ_base=OWNER_ADDRESS).status_code == 429
    assert attempt(owner, "lan@example.vn", PASSWORD, environ_base=OWNER_ADDRESS).status_code == 302


def test_one_address_cannot_try_many_accounts(app, make_user):
    limit = app.config["SIGN_IN_LIMIT_PER_ADDRESS"]
    emails = [make_user().email for _ in range(limit + 3)]
    db.session.commit()
    attacker = app.test_client()
    answers = [attempt(attacker, email, "doan-mo-thu", environ_base=ATTACKER_ADDRESS).status_code
               for email in emails]
    assert answers[:limit] == [401] * limit and answers[limit:] == [429] * 3
    other = app.test_client()
    assert attempt(other, emails[0], PASSWORD, lang="/en", environ_base=OWNER_ADDRESS).status_code == 302


def test_the_wait_doubles_with_each_failure_and_is_forgotten_after_a_day(app, client, make_user, monkeypatch):
    make_user(email="lan@example.vn")
    db.session.commit()
    now = [utcnow()]
    monkeypatch.setattr(guessing, "utcnow", lambda: now[0])
    for _ in range(guessing.FREE_FAILURES):
        assert attempt(client, "lan@example.vn", "doan-mo-thu").status_code == 401
    waits = []
    for _ in range(4):
        refused = attempt(client, "lan@example.vn", "doan-mo-thu")
        assert refused.status_code == 429
        wait = int(refused.headers["Retry-After"])
        waits.append(wait)
        now[0] += timedelta(seconds=wait)
        assert attempt(client, "lan@example.vn", "doan-mo-thu").status_code == 401
    assert waits == [30, 60, 120, 240]
    now[0] += timedelta(days=1, hours=1)
    assert attempt(client, "lan@example.vn", PASSWORD).status_code == 302
    assert db.session.scalars(select(SignInThrottle)).all() == []  # success forgives


def test_a_device_cookie_that_is_forged_or_for_another_account_counts_as_an_unknown_device(app, make_user):
    make_user(email="lan@example.vn")
    mine = make_user(email="ke.gian@example.vn")
    db.session.commit()
    attacker = app.test_client()
    assert attempt(attacker, mine.email, PASSWORD, environ_base=ATTACKER_ADDRESS).status_code == 302
    attacker.post("/sign-out")
    genuine = attacker.get_cookie(DEVICE_COOKIE).value
    for cookie in (genuine, genuine[:-3] + "abc", "not-a-cookie"):
        attacker.set_cookie(DEVICE_COOKIE, cookie)
        answers = [attempt(attacker, "lan@example.vn", f"doan-{n}", environ_base=ATTACKER_ADDRESS).status_code
                   for n in range(3)]
        assert 429 in answers or answers.count(401) == 3
    answers = [attempt(attacker, "lan@example.vn", f"doan-{n}", environ_base=ATTACKER_ADDRESS).status_code
               for n in range(3)]
    assert answers == [429] * 3  # all of them spent the account's one budget for unknown devices
