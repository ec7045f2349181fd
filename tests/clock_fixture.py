"""`travel_to(day)`: every module of the shop sees `day` as today in Quảng Ngãi."""
import sys

import pytest

from storefront import clock


@pytest.fixture
def travel_to(monkeypatch):
    original = clock.today

    def travel(day):
        current = clock.today  # the original, or the date of an earlier travel in the same test

        def travelled_today():
            return day

        for name, module in list(sys.modules.items()):
            if (name == "storefront" or name.startswith("storefront.")) \
                    and getattr(module, "today", None) in (original, current):
                monkeypatch.setattr(module, "today", travelled_today)  # one function, so the next travel finds it
    return travel
