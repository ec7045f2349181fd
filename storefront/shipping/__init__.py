"""Delivery: the zone of an address (zones.py), what each zone costs and takes (rates.py, checked at
start-up), quotes for a cart or a province (queries.py), and the visitor's remembered province."""
from .rates import load_rates


def init_app(app) -> None:
    """Read the delivery settings once: a bad one stops the shop here, with a message naming it."""
    app.extensions["shipping_rates"] = load_rates(app.config)
