"""Who may see an order: its signed-in owner, or the browser that placed it or found it by number and phone."""
from flask import session
from flask_login import current_user

from .models import Order

KEY = "orders"
REMEMBERED = 20


def may_view(order: Order) -> bool:
    if current_user.is_authenticated and order.user_id is not None and order.user_id == current_user.id:
        return True
    return order.number in (session.get(KEY) or [])


def remember(order: Order) -> None:
    numbers = [number for number in (session.get(KEY) or []) if number != order.number]
    session[KEY] = (numbers + [order.number])[-REMEMBERED:]
