from flask import Blueprint

from storefront.accounts.access import check_role
from storefront.accounts.models import Role


def guard(blueprint: Blueprint, *roles: Role) -> None:
    """Every page of `blueprint` is for `roles` alone, and no shared cache may keep it."""

    @blueprint.before_request
    def require_role():
        return check_role(*roles)

    @blueprint.after_request
    def private(response):
        response.headers["Cache-Control"] = "private, no-store"
        return response
