"""The rule a delivery address obeys, said once: the checkout form asks it to put a refusal beside its field,
and place_order asks it again before anything is written (a script may post what no form offered)."""
from flask_babel import lazy_gettext as _l

from ..errors import FieldError
from .units import Commune, Province, commune_named, province_named, provinces_with_commune


def delivery_address(province_text, commune_text) -> tuple[Province, Commune]:
    """The province and the commune, ward or special zone of it that the buyer chose, with their official
    names; FieldError("province" | "commune", message) when either is missing or not one of today's units."""
    if not (province_text or "").strip():
        raise FieldError("province", _l("Choose the province or city."))
    province = province_named(province_text)
    if province is None:
        raise FieldError("province", _l("Choose a province or city from the list: since 1 July 2025 Vietnam "
                                        "has 34 of them."))
    if not (commune_text or "").strip():
        raise FieldError("commune", _l("Choose the commune or ward."))
    commune = commune_named(province, commune_text)
    if commune is None:
        elsewhere = provinces_with_commune(commune_text)
        if elsewhere:  # the buyer's own commune, under a province they did not choose
            named = commune_named(elsewhere[0], commune_text)
            raise FieldError("commune", _l(
                "%(commune)s is not in %(province)s but in %(other)s: choose that province first, or a "
                "commune or ward of %(province)s.", commune=named.name, province=province.name,
                other=", ".join(other.name for other in elsewhere)))
        raise FieldError("commune", _l("Choose a commune or ward of %(province)s from the list.",
                                       province=province.name))
    return province, commune
