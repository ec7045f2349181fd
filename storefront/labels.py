"""Translated names of the domain's fixed vocabularies, for templates."""
from flask_babel import lazy_gettext as _l

from .accounts.models import Role
from .areas.models import AreaKind
from .catalog.models import ProducerType, ProductGroup
from .certification.models import CertificationLevel
from .locator.models import Funding

GROUP_NAMES = {
    ProductGroup.FOOD: _l("Food"),
    ProductGroup.DRINKS: _l("Drinks"),
    ProductGroup.HERBS: _l("Medicinal herbs"),
    ProductGroup.HANDICRAFTS: _l("Handicrafts"),
    ProductGroup.ORNAMENTALS: _l("Ornamental plants and animals"),
    ProductGroup.TOURISM: _l("Community and eco-tourism, tourist sites"),
}

GROUP_DESCRIPTIONS = {
    ProductGroup.FOOD: _l("Fresh produce, rice, honey, garlic, dried and processed foods."),
    ProductGroup.DRINKS: _l("Rice wines, teas, juices and other drinks."),
    ProductGroup.HERBS: _l("Cinnamon, lingzhi, essential oils and herbal products."),
    ProductGroup.HANDICRAFTS: _l("Brocade, weaving, woodwork and other crafts."),
    ProductGroup.ORNAMENTALS: _l("Flowers, ornamental plants and animals."),
    ProductGroup.TOURISM: _l("Places to visit: villages, relics and eco-tourism sites."),
}

SUBGROUP_NAMES = {
    "fresh": _l("Fresh produce"),
    "raw_processed": _l("Raw and pre-processed"),
    "processed": _l("Processed food"),
    "seasonings": _l("Seasonings"),
    "alcoholic": _l("Alcoholic drinks"),
    "non_alcoholic": _l("Non-alcoholic drinks"),
    "functional_food": _l("Functional foods"),
    "herbal_cosmetics": _l("Herbal cosmetics"),
    "essential_oils": _l("Essential oils"),
    "herbal_medicine": _l("Herbal medicine"),
    "weaving_brocade": _l("Weaving, brocade and embroidery"),
    "wood_bamboo": _l("Wood, bamboo and rattan"),
    "ceramics": _l("Ceramics"),
    "decorative": _l("Decorative crafts"),
    "flowers": _l("Flowers"),
    "ornamental_plants": _l("Ornamental plants"),
    "ornamental_animals": _l("Ornamental animals"),
    "community_tourism": _l("Community tourism"),
    "eco_tourism": _l("Eco-tourism"),
    "tourist_site": _l("Tourist site"),
}

PRODUCER_TYPE_NAMES = {
    ProducerType.ENTERPRISE: _l("Enterprise"),
    ProducerType.COOPERATIVE: _l("Cooperative"),
    ProducerType.COOPERATIVE_GROUP: _l("Cooperative group"),
    ProducerType.HOUSEHOLD: _l("Household or establishment"),
}

PRODUCER_TYPE_PLURALS = {
    ProducerType.ENTERPRISE: _l("Enterprises"),
    ProducerType.COOPERATIVE: _l("Cooperatives"),
    ProducerType.COOPERATIVE_GROUP: _l("Cooperative groups"),
    ProducerType.HOUSEHOLD: _l("Households and establishments"),
}

FUNDING_NAMES = {
    Funding.STATE_SUPPORTED: _l("State-supported"),
    Funding.PRIVATE: _l("Privately funded"),
}

CERTIFICATION_LEVEL_NAMES = {
    CertificationLevel.CENTRAL: _l("national level"),
    CertificationLevel.PROVINCE: _l("provincial level"),
    CertificationLevel.DISTRICT: _l("district level"),
}

AREA_KIND_PATTERNS = {
    AreaKind.PROVINCE: _l("%(name)s province"),
    AreaKind.CITY: _l("%(name)s city"),
    AreaKind.TOWN: _l("%(name)s town"),
    AreaKind.DISTRICT: _l("%(name)s district"),
    AreaKind.WARD: _l("%(name)s ward"),
    AreaKind.COMMUNE: _l("%(name)s commune"),
    AreaKind.SPECIAL_ZONE: _l("%(name)s special zone"),
}


def area_name(area) -> str:
    """"Xã Ba Tơ" / "Ba Tơ commune": a place with its kind, in the current language."""
    return str(AREA_KIND_PATTERNS[area.kind]) % {"name": area.name}


ROLE_NAMES = {
    Role.CUSTOMER: _l("Shopper"),
    Role.PRODUCER: _l("Producer"),
    Role.ADMIN: _l("Administrator"),
    Role.CERTIFICATE_OFFICER: _l("Certificate officer"),
    Role.ORDER_DESK: _l("Order desk"),
    Role.VIEWER: _l("Viewer"),
}

ROLE_DUTIES = {
    Role.ADMIN: _l("Office accounts, places and everything the other roles do."),
    Role.CERTIFICATE_OFFICER: _l("Certificates, listings, producers, changes to review and catalogue files."),
    Role.ORDER_DESK: _l("Orders, refunds and visit requests."),
    Role.VIEWER: _l("Reports and the office's lists, without changing anything."),
}


def template_globals() -> dict:
    return {
        "GROUP_NAMES": GROUP_NAMES, "GROUP_DESCRIPTIONS": GROUP_DESCRIPTIONS,
        "SUBGROUP_NAMES": SUBGROUP_NAMES, "PRODUCER_TYPE_NAMES": PRODUCER_TYPE_NAMES,
        "PRODUCER_TYPE_PLURALS": PRODUCER_TYPE_PLURALS, "FUNDING_NAMES": FUNDING_NAMES,
        "CERTIFICATION_LEVEL_NAMES": CERTIFICATION_LEVEL_NAMES, "area_name": area_name,
        "ROLE_NAMES": ROLE_NAMES, "ROLE_DUTIES": ROLE_DUTIES,
    }
