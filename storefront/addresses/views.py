"""The communes, wards and special zones of a province as JSON, for the checkout's commune search."""
from flask import Blueprint, abort, jsonify, request

from ..text import whole_number
from .units import DATA_VERSION, province_by_code, communes_of

api = Blueprint("addresses_api", __name__, url_prefix="/api/v1/provinces")
ONE_YEAR = 365 * 24 * 3600
ONE_DAY = 24 * 3600


@api.route("/<code>/communes")
def communes(code):
    province = province_by_code(whole_number(code, 1, 999))
    if province is None:
        abort(404, description="No province or city has this code.")
    response = jsonify(
        province={"code": province.code, "name": province.name, "short_name": province.short_name},
        communes=[{"code": unit.code, "name": unit.name, "short_name": unit.short_name, "kind": unit.kind.value}
                  for unit in communes_of(province)],
        data_version=DATA_VERSION)
    # The list changes only with the package's data: a URL naming that data version may be kept for good,
    # any other for a day.
    fresh = request.args.get("v") == DATA_VERSION
    response.headers["Cache-Control"] = (f"public, max-age={ONE_YEAR}, immutable" if fresh
                                         else f"public, max-age={ONE_DAY}")
    response.add_etag()
    return response.make_conditional(request)
