"""Who may open a page: the one place that answers it, for the storefront and the back office."""
from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from .models import Role


def sign_in_url() -> str:
    return url_for("accounts.sign_in", next=request.full_path.rstrip("?"))


def check_role(*roles: Role):
    """None when the current user holds one of `roles`; otherwise the response that refuses them:
    anonymous visitors are sent to sign in, signed-in users without the role get 403."""
    if not current_user.is_authenticated:
        return redirect(sign_in_url())
    if current_user.role not in roles:
        abort(403)
    return None


def role_required(*roles: Role):
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            return check_role(*roles) or view(*args, **kwargs)
        return wrapper
    return decorate


def own_producer_id() -> int | None:
    """The producer the signed-in producer account acts for (None for everyone else)."""
    if current_user.is_authenticated and current_user.role == Role.PRODUCER:
        return current_user.producer_id
    return None
