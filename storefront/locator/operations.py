"""Changes to the OCOP sales points, made by the OCOP office in the back office."""
from flask_babel import gettext as _

from ..areas.models import Area, AreaLevel
from ..audit.operations import record
from ..catalog.operations import PHONE_PATTERN, clean_text, unique_slug
from ..extensions import db
from ..errors import FieldError
from .models import Funding, SalesPoint

# Vietnam's mainland and near islands (Lý Sơn, Phú Quốc, Côn Đảo): a point typed outside is a typo,
# most often latitude and longitude swapped or a sign lost.
VIETNAM_LATITUDE = (8.1, 23.4)
VIETNAM_LONGITUDE = (102.1, 109.5)

SALES_POINT_FIELDS = ("slug", "name_vi", "name_en", "address", "area_id", "latitude", "longitude",
                      "opening_hours_vi", "opening_hours_en", "phone", "funding", "description_vi",
                      "description_en", "is_published")


def _validated(values: dict, point: SalesPoint | None) -> dict:
    values = clean_text({name: value for name, value in values.items() if name in SALES_POINT_FIELDS})
    for name in ("opening_hours_en", "description_en"):
        if values.get(name) == "":
            values[name] = None
    merged = {name: getattr(point, name) for name in SALES_POINT_FIELDS} if point else {}
    merged.update(values)
    if not merged.get("name_vi"):
        raise FieldError("name_vi", _("Enter the sales point's name in Vietnamese."))
    if not merged.get("address"):
        raise FieldError("address", _("Enter the street address."))
    area = db.session.get(Area, merged["area_id"]) if merged.get("area_id") else None
    if area is None or area.level != AreaLevel.COMMUNE:
        raise FieldError("area_id", _("Choose the commune or ward."))
    latitude, longitude = merged.get("latitude"), merged.get("longitude")
    if latitude is None or not VIETNAM_LATITUDE[0] <= latitude <= VIETNAM_LATITUDE[1]:
        raise FieldError("latitude", _("The latitude must lie in Vietnam, between %(low)s and %(high)s "
                                       "(Quảng Ngãi is about 15).", low=VIETNAM_LATITUDE[0], high=VIETNAM_LATITUDE[1]))
    if longitude is None or not VIETNAM_LONGITUDE[0] <= longitude <= VIETNAM_LONGITUDE[1]:
        raise FieldError("longitude", _("The longitude must lie in Vietnam, between %(low)s and %(high)s "
                                        "(Quảng Ngãi is about 108.8).",
                                        low=VIETNAM_LONGITUDE[0], high=VIETNAM_LONGITUDE[1]))
    phone = merged.get("phone")
    if phone:
        phone = phone.replace(" ", "").replace(".", "")
        if not PHONE_PATTERN.match(phone):
            raise FieldError("phone", _("Enter a Vietnamese phone number: 10 or 11 digits starting with 0, or +84."))
        if "phone" in values:
            values["phone"] = phone
    if merged.get("funding") not in {f.value for f in Funding}:
        raise FieldError("funding", _("Choose how the sales point is funded."))
    values["funding"] = Funding(merged["funding"])
    values["slug"] = unique_slug(SalesPoint, merged.get("slug"), merged["name_vi"], point.id if point else None)
    return values


def create_sales_point(values: dict) -> SalesPoint:
    values = _validated(values, None)
    point = SalesPoint(**{"is_published": False, **values})
    record("sales_point.create", point)
    return point


def update_sales_point(point: SalesPoint, values: dict) -> SalesPoint:
    values = _validated(values, point)
    for name, value in values.items():
        setattr(point, name, value)
    record("sales_point.update", point)
    return point


def set_sales_point_published(point: SalesPoint, published: bool) -> SalesPoint:
    point.is_published = published
    record("sales_point.publish" if published else "sales_point.unpublish", point)
    return point
