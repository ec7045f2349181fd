"""Vietnamese phone numbers for deliveries: the national form the orders keep (see storefront.phone)."""
from ..phone import normalize_phone

__all__ = ["normalize_phone"]
