from flask import Blueprint, abort, current_app, request

from .pipeline import rendition_name
from .storage import media_store

bp = Blueprint("media", __name__)

ONE_YEAR = 31536000


@bp.route("/media/<string(length=2):prefix>/<key>-<int:width>.webp")
def rendition(prefix, key, width):
    if len(key) != 40 or not key.startswith(prefix) or any(c not in "0123456789abcdef" for c in key):
        abort(404)
    # Renditions are small: read whole (from this node's cache after the first time, with the PostgreSQL
    # store), so no file stays open when a revalidation answers 304 or the client goes away mid-response.
    data = media_store().get(rendition_name(key, width))
    if data is None:
        abort(404)
    response = current_app.response_class(data, mimetype="image/webp")
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    response.set_etag(f"{key}-{width}")  # the key is the image's content hash
    return response.make_conditional(request)
