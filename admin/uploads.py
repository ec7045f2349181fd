"""Photos sent from the back office and the producers' workspace, read and refused in the user's language."""
from flask import current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from storefront.accounts.access import refusal
from storefront.errors import FieldError
from storefront.extensions import db
from storefront.media.models import MediaImage
from storefront.site.views import handle_http_error

from .views import bp as admin_bp
from .workspace import bp as producer_bp


def too_large_message() -> str:
    return _("The file is too large: a photo may have at most %(size)s MB.",
             size=current_app.config["IMAGE_MAX_BYTES"] // (1024 * 1024))


def uploaded_photo() -> bytes:
    """The bytes of the form's "photo" file; FieldError when there is none or it is too large."""
    try:
        # The gallery's input and the camera's share the name: the first one used counts.
        storage = next((item for item in request.files.getlist("photo") if item.filename), None)
    except RequestEntityTooLarge:
        raise FieldError("photo", too_large_message()) from None
    if storage is None:
        raise FieldError("photo", _("Choose a photo, or take one with the camera."))
    limit = current_app.config["IMAGE_MAX_BYTES"]
    data = storage.stream.read(limit + 1)
    if len(data) > limit:
        raise FieldError("photo", too_large_message())
    if not data:
        raise FieldError("photo", _("The file is empty."))
    return data


def attach_photo_error(form, error) -> None:
    """A refusal about the file beside the file field; one about another field beside that field."""
    name = getattr(error, "field", None)
    target = form[name] if name and name in form and name != "csrf_token" else form.photo
    target.errors = list(target.errors) + [str(error)]  # the pipeline's refusals are in the user's language


def refuse_too_large(error):
    """A request larger than MAX_CONTENT_LENGTH is refused before anything is read, stored or changed; to
    whoever the page is not for, with the refusal of the access rules."""
    db.session.rollback()
    try:
        refused = refusal()
    except HTTPException as forbidden:
        return handle_http_error(forbidden)
    if refused is not None:
        return refused
    message = _("The file is too large: files of more than %(size)s MB are refused.",
                size=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024))
    return render_template("admin/too_large.html", message=message), 413


admin_bp.register_error_handler(RequestEntityTooLarge, refuse_too_large)
producer_bp.register_error_handler(RequestEntityTooLarge, refuse_too_large)


def photo_rows(photos: list[dict] | None) -> list[dict]:
    """The photos of an edit with their images loaded, for showing them."""
    if not photos:
        return []
    images = {image.id: image for image in db.session.scalars(
        select(MediaImage).where(MediaImage.id.in_([photo["image_id"] for photo in photos])))}
    return [{**photo, "image": images[photo["image_id"]]} for photo in photos if photo["image_id"] in images]
