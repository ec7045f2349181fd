"""The shop's operator as its configuration names it (OPERATOR_* in storefront/config.py)."""
from dataclasses import dataclass

from flask import current_app

from ..phone import international_phone


@dataclass(frozen=True)
class Operator:
    name: str
    address: str
    hotline: str  # as the operator writes it: 0255 555 0000
    hotline_dial: str | None  # +842555550000, for a tel: link; None when the setting is no phone number
    email: str
    registration: str

    @property
    def is_set(self) -> bool:
        return any((self.name, self.address, self.hotline, self.email, self.registration))


def current_operator() -> Operator:
    config = current_app.config
    hotline = (config.get("OPERATOR_HOTLINE") or "").strip()
    return Operator(name=(config.get("OPERATOR_NAME") or "").strip(),
                    address=(config.get("OPERATOR_ADDRESS") or "").strip(),
                    hotline=hotline, hotline_dial=international_phone(hotline),
                    email=(config.get("OPERATOR_EMAIL") or "").strip(),
                    registration=(config.get("OPERATOR_REGISTRATION") or "").strip())
