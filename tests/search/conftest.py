"""Fixtures of the search tests: search the per-test database or the demo catalogue."""
import pytest

from searching import run_search


@pytest.fixture
def find(app):
    """Search the per-test database (its index follows the commits)."""
    return lambda query, **filters: run_search(app, query, **filters)


@pytest.fixture(scope="session")
def find_demo(demo_app):
    """Search the demo catalogue."""
    return lambda query, **filters: run_search(demo_app, query, **filters)
