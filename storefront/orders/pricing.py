"""The shipping fee: one simple rule, configured in SHIPPING_FEE and FREE_SHIPPING_FROM."""
from flask import current_app

from .models import Fulfilment


def shipping_fee(subtotal: int, fulfilment: Fulfilment) -> int:
    if fulfilment is Fulfilment.PICKUP:
        return 0
    config = current_app.config
    return 0 if subtotal >= config["FREE_SHIPPING_FROM"] else config["SHIPPING_FEE"]
