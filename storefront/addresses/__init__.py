"""Delivery addresses: Vietnam's provinces and communes/wards since 1 July 2025, and the rule an address obeys."""
