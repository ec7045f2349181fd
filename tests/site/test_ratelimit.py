"""The fixed-window limiter counts in its own transaction, per scope and key."""
from datetime import datetime

from storefront import ratelimit
from storefront.extensions import db


def test_the_limit_allows_then_refuses_within_a_window(monkeypatch):
    monkeypatch.setattr(ratelimit, "utcnow", lambda: datetime(2027, 2, 1, 10, 0, 5))
    assert [ratelimit.hit("test", "a", 3, 60) for _ in range(5)] == [True, True, True, False, False]
    assert ratelimit.hit("test", "b", 3, 60)  # another key
    assert ratelimit.hit("other", "a", 3, 60)  # another scope
    monkeypatch.setattr(ratelimit, "utcnow", lambda: datetime(2027, 2, 1, 10, 1, 0))
    assert ratelimit.hit("test", "a", 3, 60)  # the next window


def test_a_rolled_back_request_still_counts(monkeypatch):
    monkeypatch.setattr(ratelimit, "utcnow", lambda: datetime(2027, 2, 1, 10, 0, 5))
    assert ratelimit.hit("test", "a", 1, 60)
    db.session.rollback()
    assert not ratelimit.hit("test", "a", 1, 60)
