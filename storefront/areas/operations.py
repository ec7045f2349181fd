"""Changes to places: the OCOP office adds or corrects communes and wards as the map of the province moves."""
from flask_babel import gettext as _
from sqlalchemy import exists, select

from ..audit.operations import record
from ..catalog.operations import clean_text, unique_slug
from ..errors import FieldError
from ..extensions import db
from .models import Area, AreaKind, AreaLevel

# The kinds of place each level holds, and the level of its parent.
KINDS_BY_LEVEL = {
    AreaLevel.PROVINCE: (AreaKind.PROVINCE,),
    AreaLevel.FORMER_DISTRICT: (AreaKind.CITY, AreaKind.TOWN, AreaKind.DISTRICT),
    AreaLevel.COMMUNE: (AreaKind.COMMUNE, AreaKind.WARD, AreaKind.SPECIAL_ZONE),
}
PARENT_LEVEL = {AreaLevel.PROVINCE: None, AreaLevel.FORMER_DISTRICT: AreaLevel.PROVINCE,
                AreaLevel.COMMUNE: AreaLevel.FORMER_DISTRICT}
AREA_FIELDS = ("name", "slug", "level", "kind", "parent_id")


def _validated(values: dict, area: Area | None) -> dict:
    values = clean_text({name: value for name, value in values.items() if name in AREA_FIELDS})
    if area is not None:
        values.pop("level", None)  # places already hold producers and sales points at their level
    merged = {name: getattr(area, name) for name in AREA_FIELDS} if area else {}
    merged.update(values)
    if not merged.get("name"):
        raise FieldError("name", _("Enter the place's name."))
    try:
        level = AreaLevel(merged.get("level"))
    except ValueError:
        raise FieldError("level", _("Choose the level of the place.")) from None
    try:
        kind = AreaKind(merged.get("kind"))
    except ValueError:
        raise FieldError("kind", _("Choose the kind of place.")) from None
    if kind not in KINDS_BY_LEVEL[level]:
        raise FieldError("kind", _("This kind of place does not exist at that level."))
    parent = db.session.get(Area, merged["parent_id"]) if merged.get("parent_id") else None
    if PARENT_LEVEL[level] is None:
        if parent is not None:
            raise FieldError("parent_id", _("A province lies in no other place."))
        with db.session.no_autoflush:
            other = db.session.scalar(select(exists().where(Area.level == AreaLevel.PROVINCE,
                                                            Area.id != (area.id if area else 0))))
        if other:
            raise FieldError("level", _("The shop already has its province."))
    elif parent is None or parent.level != PARENT_LEVEL[level]:
        raise FieldError("parent_id", _("Choose the former district the commune or ward belongs to.")
                         if level == AreaLevel.COMMUNE else _("Choose the province."))
    if "level" in values:
        values["level"] = level
    values["kind"] = kind
    values["slug"] = unique_slug(Area, merged.get("slug"), merged["name"], area.id if area else None)
    if len(values["slug"]) > 120:
        raise FieldError("slug", _("Use a shorter web address name."))
    return values


def create_area(values: dict) -> Area:
    area = Area(**_validated(values, None))
    record("area.create", area)
    return area


def update_area(area: Area, values: dict) -> Area:
    for name, value in _validated(values, area).items():
        setattr(area, name, value)
    record("area.update", area)
    return area
