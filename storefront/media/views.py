from flask import Blueprint, abort, current_app, send_from_directory

bp = Blueprint("media", __name__)

ONE_YEAR = 31536000


@bp.route("/media/<string(length=2):prefix>/<key>-<int:width>.webp")
def rendition(prefix, key, width):
    if len(key) != 40 or not key.startswith(prefix) or any(c not in "0123456789abcdef" for c in key):
        abort(404)
    response = send_from_directory(current_app.config["MEDIA_ROOT"], f"{prefix}/{key}-{width}.webp",
                                   max_age=ONE_YEAR)
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response
