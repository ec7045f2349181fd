"""The back office's menus: each module adds its pages here when it is imported."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    order: int


admin_nav: list[NavItem] = []
producer_nav: list[NavItem] = []


def add(menu: list[NavItem], endpoint: str, label, order: int) -> None:
    if all(item.endpoint != endpoint for item in menu):
        menu.append(NavItem(endpoint, label, order))
        menu.sort(key=lambda item: item.order)


add(admin_nav, "admin.dashboard", _l("Overview"), 0)
add(producer_nav, "producer.dashboard", _l("Overview"), 0)
