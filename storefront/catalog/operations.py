"""Changes to producers and products: the back office's and the producers' writes go through here.

Each operation validates first (raising FieldError/DomainError with a message safe to show), then
changes the objects, then records the audit entry before anything is flushed. Nothing here commits.
"""
import re

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, select

from ..accounts.models import Role, User
from ..areas.models import Area, AreaLevel
from ..audit.operations import pending_changes, record
from ..clock import utcnow
from ..errors import DomainError, FieldError
from ..extensions import db
from ..media.models import MediaImage
from ..media.operations import holds_images
from ..media.pipeline import store_image
from ..notifications.operations import queue_message
from ..text import slugify
from .forms import MAX_PRICE
from .models import (REVIEWED_TEXT_FIELDS, SUBGROUPS, CraftVillage, EditStatus, ListingEdit, Producer,
                     ProducerType, Product, ProductGroup, ProductImage)

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Mobiles have 10 digits, landlines 11 (0 + a 3-digit area code + 7 digits).
PHONE_PATTERN = re.compile(r"^(0\d{9,10}|\+84\d{9,10})$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Every control character but the line feed and the tab.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_STOCK = 10_000_000
MAX_PHOTOS = 12

PRODUCT_FIELDS = ("slug", "producer_id", "group", "subgroup", "name_vi", "name_en", "summary_vi", "summary_en",
                  "description_vi", "description_en", "story_vi", "story_en", "heritage_vi", "heritage_en",
                  "price", "unit_vi", "unit_en", "stock", "sold_online", "shippable", "is_published")
PRODUCER_FIELDS = ("slug", "name", "type", "area_id", "address", "phone", "email", "website", "story_vi",
                   "story_en", "craft_village_id", "sells_through_modern_channels", "is_published")
# What a producer may change on its own profile; name, type and place are the OCOP office's records.
PRODUCER_PROFILE_FIELDS = ("address", "phone", "email", "website", "story_vi", "story_en")
OPTIONAL_TEXT = {"name_en", "summary_en", "description_en", "story_en", "heritage_en", "unit_en", "phone", "email",
                 "website"}


# --- shared validation ---

def clean_text(values: dict) -> dict:
    """Strip typed text and the control characters nobody means to type (a NUL cannot even be stored by
    PostgreSQL); an empty optional field becomes None (no English text: the Vietnamese shows)."""
    cleaned = {}
    for name, value in values.items():
        if isinstance(value, str):
            value = CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n")).strip()
            if value == "" and name in OPTIONAL_TEXT:
                value = None
        cleaned[name] = value
    return cleaned


def unique_slug(model, slug: str, source: str, current_id: int | None) -> str:
    slug = (slug or "").strip() or slugify(source or "")
    if not slug:
        raise FieldError("slug", _("Enter a web address name (lower-case letters, digits and hyphens)."))
    if not SLUG_PATTERN.match(slug) or len(slug) > 160:
        raise FieldError("slug", _("Use lower-case letters without tone marks, digits and hyphens only."))
    with db.session.no_autoflush:
        taken = db.session.scalar(select(exists().where(model.slug == slug, model.id != (current_id or 0))))
    if taken:
        raise FieldError("slug", _("Another entry already uses this web address."))
    return slug


def _require(values: dict, name: str, message: str) -> None:
    if not values.get(name):
        raise FieldError(name, message)


# --- products ---

def _validated_product(values: dict, product: Product | None) -> dict:
    values = clean_text({name: value for name, value in values.items() if name in PRODUCT_FIELDS})
    merged = {name: getattr(product, name) for name in PRODUCT_FIELDS} if product else {}
    merged.update(values)
    _require(merged, "name_vi", _("Enter the product's name in Vietnamese."))
    if merged.get("producer_id") is None or db.session.get(Producer, merged["producer_id"]) is None:
        raise FieldError("producer_id", _("Choose the producer."))
    try:
        group = ProductGroup(int(merged.get("group") or 0))
    except ValueError:
        raise FieldError("group", _("Choose one of the six OCOP product groups.")) from None
    if merged.get("subgroup") not in SUBGROUPS[group]:
        raise FieldError("subgroup", _("Choose a sub-group of the product's group."))
    if group.is_visited_not_shipped and merged.get("shippable"):
        raise FieldError("shippable", _("Tourism products (group 6) are places to visit: they cannot be shipped."))
    _check_price_and_stock(merged.get("price"), merged.get("stock"))
    values["group"] = group.value
    values["slug"] = unique_slug(Product, merged.get("slug"), merged["name_vi"], product.id if product else None)
    return values


def _check_price_and_stock(price, stock) -> None:
    if price is not None and not 0 <= price <= MAX_PRICE:
        raise FieldError("price", _("Enter a price in đồng between 0 and 1.000.000.000."))
    if stock is None or not 0 <= stock <= MAX_STOCK:
        raise FieldError("stock", _("Enter the stock as a whole number, 0 or more."))


def create_product(values: dict) -> Product:
    values = _validated_product(values, None)
    product = Product(**{"stock": 0, "is_published": False, **values})
    record("product.create", product)
    return product


def update_product(product: Product, values: dict) -> Product:
    values = _validated_product(values, product)
    for name, value in values.items():
        setattr(product, name, value)
    record("product.update", product)
    return product


def set_product_published(product: Product, published: bool) -> Product:
    product.is_published = published
    record("product.publish" if published else "product.unpublish", product)
    return product


def set_price_and_stock(product: Product, price: int | None, stock: int) -> Product:
    """A change of price or stock is a fact of the shop, not of the listing's text: it applies at once."""
    _check_price_and_stock(price, stock)
    product.price, product.stock = price, stock
    record("product.price_stock", product)
    return product


# --- photos and producers' edits of the listing ---

def edits_need_review(product: Product) -> bool:
    """Whether a producer's change to this product's text or photos waits for the OCOP office."""
    return product.is_published and current_app.config.get("LISTING_EDITS_NEED_REVIEW", True)


def pending_edit(product: Product) -> ListingEdit | None:
    with db.session.no_autoflush:
        return db.session.scalar(select(ListingEdit).where(ListingEdit.product_id == product.id,
                                                           ListingEdit.status == EditStatus.PENDING))


def live_photos(product: Product) -> list[dict]:
    return [{"image_id": photo.image_id, "alt_vi": photo.alt_vi, "alt_en": photo.alt_en}
            for photo in product.images]


def refused_draft(product: Product) -> ListingEdit | None:
    """The product's latest edit when the office refused it and the producer has neither sent it again nor
    discarded it: the draft the producer amends, with the office's reason beside it."""
    with db.session.no_autoflush:
        latest = db.session.scalar(select(ListingEdit).where(ListingEdit.product_id == product.id)
                                   .order_by(ListingEdit.id.desc()).limit(1))
    if latest is None or latest.status != EditStatus.REJECTED or latest.closed_at is not None:
        return None
    return latest


def working_edit(product: Product) -> ListingEdit | None:
    """What the producer's form starts from: the pending edit, else the refused draft, else nothing."""
    return pending_edit(product) or refused_draft(product)


def proposed_photos(product: Product) -> list[dict]:
    """The photos as the producer last proposed them: the pending edit's or the refused draft's, else the live
    ones."""
    edit = working_edit(product)
    return list(edit.photos) if edit is not None and edit.photos is not None else live_photos(product)


def proposed_text(product: Product) -> dict:
    """The text as the producer last proposed it: the live text with the pending edit's or the refused draft's
    changes."""
    edit = working_edit(product)
    text = {name: getattr(product, name) for name in REVIEWED_TEXT_FIELDS}
    if edit is not None:
        text.update({name: value for name, value in edit.text.items() if name in REVIEWED_TEXT_FIELDS})
    return text


def _validated_text(text: dict) -> dict:
    text = clean_text({name: value for name, value in text.items() if name in REVIEWED_TEXT_FIELDS})
    if "name_vi" in text:
        _require(text, "name_vi", _("Enter the product's name in Vietnamese."))
    return text


def _validated_photos(photos: list[dict]) -> list[dict]:
    if len(photos) > MAX_PHOTOS:
        raise FieldError("photo", _("A product shows at most %(count)s photos.", count=MAX_PHOTOS))
    cleaned = []
    for photo in photos:
        alt_vi, alt_en = (clean_text({"alt": photo.get("alt_vi") or ""})["alt"],
                          clean_text({"alt": photo.get("alt_en") or ""})["alt"])
        if not alt_vi:
            raise FieldError("alt_vi", _("Describe the photo in Vietnamese for people who cannot see it."))
        if db.session.get(MediaImage, photo["image_id"]) is None:
            raise DomainError(_("That photo no longer exists."))
        cleaned.append({"image_id": photo["image_id"], "alt_vi": alt_vi[:300], "alt_en": alt_en[:300] or None})
    return cleaned


def _apply_photos(product: Product, photos: list[dict]) -> None:
    kept = {photo.image_id: photo for photo in product.images}
    images = []
    for position, wanted in enumerate(photos):
        photo = kept.pop(wanted["image_id"], None) or ProductImage(image_id=wanted["image_id"])
        photo.position, photo.alt_vi, photo.alt_en = position, wanted["alt_vi"], wanted["alt_en"]
        images.append(photo)
    product.images = images


def _same(proposed, live) -> bool:
    """An empty optional text and a missing one say the same thing."""
    return (proposed or None) == (live or None)


def propose_listing_edit(product: Product, text: dict | None = None, photos: list[dict] | None = None,
                         user: User | None = None) -> ListingEdit | None:
    """A producer's new text and/or photo list for its product.

    While the product is published (and the setting asks for review) the change waits in the product's
    one pending edit, replacing what the producer proposed before, and the live listing keeps its
    approved version. Otherwise it applies at once. A refused change the producer kept as its draft is
    the starting point, and is closed: it has been sent again. Returns the pending edit, or None when none
    remains.
    """
    text = _validated_text(text or {})
    photos = _validated_photos(photos) if photos is not None else None
    edit = pending_edit(product)
    draft = refused_draft(product) if edit is None else None
    if draft is not None:
        # The producer amends its refused change: what it does not touch again is sent as it was drafted,
        # and the draft gives way to what is sent now.
        text = {**_validated_text(draft.text), **text}
        if photos is None and draft.photos is not None:
            photos = _validated_photos(draft.photos)
        draft.closed_at = utcnow()
    if not edits_need_review(product):
        with db.session.no_autoflush:
            for name, value in text.items():
                setattr(product, name, value)
            changes = pending_changes(product)
            before = live_photos(product)
            if photos is not None and photos != before:
                changes["photos"] = [len(before), len(photos)]
                _apply_photos(product, photos)
            record("product.update", product, changes=changes)
        return None
    wanted_text = {**(edit.text if edit else {}), **text}
    changed_text = {name: value for name, value in wanted_text.items() if not _same(value, getattr(product, name))}
    wanted_photos = photos if photos is not None else (edit.photos if edit else None)
    changed_photos = wanted_photos if wanted_photos is not None and wanted_photos != live_photos(product) else None
    if not changed_text and changed_photos is None:
        if edit is not None:  # the producer put everything back as it is live: nothing left to review
            record("listing_edit.withdraw", edit, changes={"status": [edit.status.value, "withdrawn"]})
            db.session.delete(edit)
        return None
    if edit is None:
        edit = ListingEdit(product=product, status=EditStatus.PENDING)
        db.session.add(edit)
    edit.text = changed_text
    edit.photos = changed_photos
    edit.before = {**{name: getattr(product, name) for name in changed_text},
                   **({"photos": live_photos(product)} if changed_photos is not None else {})}
    edit.proposed_by_id = user.id if user is not None else None
    edit.updated_at = utcnow()
    record("listing_edit.propose", edit, changes={name: [edit.before.get(name), value]
                                                  for name, value in changed_text.items()}
           | ({"photos": [len(live_photos(product)), len(changed_photos)]} if changed_photos is not None else {}))
    return edit


def discard_refused_draft(product: Product, user: User | None = None) -> ListingEdit:
    """The producer gives up its refused change: its form shows the live listing again."""
    draft = refused_draft(product)
    if draft is None:
        raise DomainError(_("There is no refused change to discard."))
    draft.closed_at = utcnow()
    record("listing_edit.discard", draft, actor=user)
    return draft


def add_product_photo(product: Product, data: bytes, alt_vi: str, alt_en: str | None,
                      user: User | None = None, review: bool = True) -> ListingEdit | None:
    """Store an uploaded photo through the image pipeline and add it after the product's photos.

    Validation comes first: a file refused by the pipeline leaves no file and no row behind."""
    if not clean_text({"alt": alt_vi or ""})["alt"]:
        raise FieldError("alt_vi", _("Describe the photo in Vietnamese for people who cannot see it."))
    current = proposed_photos(product) if review else live_photos(product)
    if len(current) >= MAX_PHOTOS:
        raise FieldError("photo", _("A product shows at most %(count)s photos.", count=MAX_PHOTOS))
    image = store_image(data)
    db.session.flush()  # the image's id (a new MediaImage only: the product is unchanged so far)
    photos = current + [{"image_id": image.id, "alt_vi": alt_vi, "alt_en": alt_en}]
    return _change_photos(product, photos, user, review)


def remove_product_photo(product: Product, image_id: int, user: User | None = None,
                         review: bool = True) -> ListingEdit | None:
    current = proposed_photos(product) if review else live_photos(product)
    photos = [photo for photo in current if photo["image_id"] != image_id]
    if len(photos) == len(current):
        raise DomainError(_("That photo is not among the product's photos."))
    return _change_photos(product, photos, user, review)


def _change_photos(product, photos, user, review) -> ListingEdit | None:
    if review:
        return propose_listing_edit(product, photos=photos, user=user)
    photos = _validated_photos(photos)
    before = live_photos(product)
    _apply_photos(product, photos)
    record("product.photos", product, changes={"photos": [len(before), len(photos)]})
    return None


def _tell_producer(edit: ListingEdit, subject: str, body: str) -> None:
    recipients = []
    if edit.proposed_by_id is not None:
        proposer = db.session.get(User, edit.proposed_by_id)
        if proposer is not None and proposer.active:
            recipients.append(proposer.email)
    if not recipients:
        recipients = list(db.session.scalars(select(User.email).where(
            User.producer_id == edit.product.producer_id, User.role == Role.PRODUCER, User.active.is_(True))))
    if not recipients and edit.product.producer.email:
        recipients = [edit.product.producer.email]
    for recipient in recipients:
        queue_message("listing_edit", recipient, subject, body,
                      dedupe_key=f"listing-edit-{edit.id}-{edit.status.value}-{recipient}")


def approve_listing_edit(edit: ListingEdit, user: User | None = None) -> Product:
    """Put a pending edit live, in one operation: text and photos together."""
    if edit.status != EditStatus.PENDING:
        raise DomainError(_("This change was already decided."))
    product = edit.product
    photos = _validated_photos(edit.photos) if edit.photos is not None else None
    with db.session.no_autoflush:
        for name, value in edit.text.items():
            if name in REVIEWED_TEXT_FIELDS:
                setattr(product, name, value)
        changes = pending_changes(product)
        if photos is not None:
            changes["photos"] = [len(product.images), len(photos)]
            _apply_photos(product, photos)
        record("product.apply_edit", product, changes=changes)
        edit.status, edit.decided_by_id, edit.decided_at = EditStatus.APPROVED, user.id if user else None, utcnow()
        record("listing_edit.approve", edit)
    _tell_producer(edit, _("Your change to “%(name)s” is live", name=product.name_vi),
                   _("The OCOP office approved your change to “%(name)s”. Shoppers see it now.",
                     name=product.name_vi))
    return product


def reject_listing_edit(edit: ListingEdit, reason: str, user: User | None = None) -> ListingEdit:
    """Refuse a pending edit with a reason the producer reads; the live listing stays as it was."""
    reason = clean_text({"reason": reason or ""})["reason"]
    if not reason:
        raise FieldError("reason", _("Tell the producer why the change is refused."))
    if len(reason) > 1000:
        raise FieldError("reason", _("Keep the reason under 1,000 characters."))
    if edit.status != EditStatus.PENDING:
        raise DomainError(_("This change was already decided."))
    edit.status, edit.reason = EditStatus.REJECTED, reason
    edit.decided_by_id, edit.decided_at = (user.id if user else None), utcnow()
    record("listing_edit.reject", edit, note=reason)
    _tell_producer(edit, _("Your change to “%(name)s” was not accepted", name=edit.product.name_vi),
                   _("The OCOP office did not accept your change to “%(name)s”. The reason:\n\n%(reason)s\n\n"
                     "The listing keeps its earlier text and photos. You can correct the change and send it again.",
                     name=edit.product.name_vi, reason=reason))
    return edit


# --- producers ---

def _validated_producer(values: dict, producer: Producer | None, fields=PRODUCER_FIELDS) -> dict:
    values = clean_text({name: value for name, value in values.items() if name in fields})
    merged = {name: getattr(producer, name) for name in PRODUCER_FIELDS} if producer else {}
    merged.update(values)
    _require(merged, "name", _("Enter the producer's name."))
    if merged.get("type") not in {t.value for t in ProducerType}:
        raise FieldError("type", _("Choose the kind of producer."))
    area = db.session.get(Area, merged["area_id"]) if merged.get("area_id") else None
    if area is None or area.level != AreaLevel.COMMUNE:
        raise FieldError("area_id", _("Choose the commune or ward."))
    if merged.get("craft_village_id") and db.session.get(CraftVillage, merged["craft_village_id"]) is None:
        raise FieldError("craft_village_id", _("Choose a craft village from the list."))
    phone = merged.get("phone")
    if phone and not PHONE_PATTERN.match(phone.replace(" ", "").replace(".", "")):
        raise FieldError("phone", _("Enter a Vietnamese phone number: 10 or 11 digits starting with 0, or +84."))
    if "phone" in values and phone:
        values["phone"] = phone.replace(" ", "").replace(".", "")
    if merged.get("email") and not EMAIL_PATTERN.match(merged["email"]):
        raise FieldError("email", _("Enter an email address like name@example.com."))
    website = merged.get("website")
    if website and not re.match(r"^https?://[^\s/]+\.[^\s]+$", website):
        raise FieldError("website", _("Enter a web address starting with https://."))
    values["type"] = ProducerType(merged["type"])
    if "slug" in fields:
        values["slug"] = unique_slug(Producer, merged.get("slug"), merged["name"],
                                      producer.id if producer else None)
    return values


def create_producer(values: dict) -> Producer:
    values = _validated_producer(values, None)
    producer = Producer(**values)
    record("producer.create", producer)
    return producer


def update_producer(producer: Producer, values: dict) -> Producer:
    values = _validated_producer(values, producer)
    for name, value in values.items():
        setattr(producer, name, value)
    record("producer.update", producer)
    return producer


def update_producer_profile(producer: Producer, values: dict) -> Producer:
    """A producer's own changes: its contact details and story (name, type and place stay the office's)."""
    values = _validated_producer(values, producer, fields=PRODUCER_PROFILE_FIELDS)
    values.pop("type", None)
    for name, value in values.items():
        setattr(producer, name, value)
    record("producer.update", producer)
    return producer


def set_producer_published(producer: Producer, published: bool) -> Producer:
    producer.is_published = published
    record("producer.publish" if published else "producer.unpublish", producer)
    return producer


@holds_images
def images_of_listing_edits() -> set[int]:
    """The photos a producer's edit proposes or recorded as the listing before it: no foreign key shows them."""
    used = set()
    for photos, before in db.session.execute(select(ListingEdit.photos, ListingEdit.before)):
        for photo_list in (photos, (before or {}).get("photos") if isinstance(before, dict) else None):
            for photo in photo_list or ():
                if isinstance(photo, dict) and isinstance(photo.get("image_id"), int):
                    used.add(photo["image_id"])
    return used
