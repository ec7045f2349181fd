"""A producer keeps its own listings current: price and stock at once, text and photos through review."""
import re

import pytest
from sqlalchemy import func, select

from storefront.audit.models import AuditEntry
from storefront.catalog.models import EditStatus, ListingEdit
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage

from backoffice import admin_client, jpeg, producer_client  # noqa: F401  (fixtures)

TEXT = {"name_vi": "Tỏi cô đơn Lý Sơn", "name_en": "Lý Sơn solo garlic", "summary_vi": "Tỏi một tép.",
        "summary_en": "", "description_vi": "Trồng trên cát biển.\n\nPhơi nắng.", "description_en": "",
        "story_vi": "", "story_en": "", "heritage_vi": "", "heritage_en": "", "unit_vi": "Túi 500 g",
        "unit_en": ""}


def text_of(product, **changes):
    return {**TEXT, **{name: getattr(product, name) or "" for name in TEXT}, **changes}


@pytest.fixture
def garlic(make_product, make_producer):
    producer = make_producer(name="HTX Tỏi Lý Sơn")
    product = make_product(name_vi="Tỏi Lý Sơn", name_en="Lý Sơn garlic", producer=producer, price=120_000,
                           stock=8, description_vi="Tỏi trồng trên đảo.", stars=4)
    db.session.commit()
    return product


def test_price_and_stock_apply_at_once(garlic, producer_client, client):
    producer = producer_client(garlic.producer)
    response = producer.post(f"/producer/products/{garlic.id}/price-stock", data={"price": "135.000", "stock": "0"})
    assert response.status_code == 302
    db.session.refresh(garlic)
    assert (garlic.price, garlic.stock) == (135_000, 0)
    page = client.get(f"/products/{garlic.slug}").get_data(as_text=True)
    assert "135.000" in page
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "product.price_stock"))
    assert entry.changes == {"price": [120_000, 135_000], "stock": [8, 0]}
    assert entry.actor_label == producer.user.email
    assert db.session.scalar(select(func.count()).select_from(ListingEdit)) == 0


def test_a_bad_price_or_stock_is_refused_and_changes_nothing(garlic, producer_client):
    producer = producer_client(garlic.producer)
    response = producer.post(f"/en/producer/products/{garlic.id}/price-stock", data={"price": "-5", "stock": "x"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter a whole number, like 185000." in page
    db.session.refresh(garlic)
    assert (garlic.price, garlic.stock) == (120_000, 8)


def test_a_text_change_waits_for_review_while_the_old_text_stays_live(garlic, producer_client, client):
    producer = producer_client(garlic.producer)
    response = producer.post(f"/producer/products/{garlic.id}/text",
                             data=text_of(garlic, description_vi="Tỏi mới <b>ngon</b>."))
    assert response.status_code == 302
    [edit] = db.session.scalars(select(ListingEdit)).all()
    assert edit.status == EditStatus.PENDING and edit.text == {"description_vi": "Tỏi mới <b>ngon</b>."}
    public = client.get(f"/products/{garlic.slug}").get_data(as_text=True)
    assert "Tỏi trồng trên đảo." in public and "Tỏi mới" not in public
    own = producer.get(f"/en/producer/products/{garlic.id}").get_data(as_text=True)
    assert "Your change waits for the OCOP office" in own
    assert "Tỏi mới &lt;b&gt;ngon&lt;/b&gt;." in own  # the form shows what was sent, escaped
    assert "Change waiting for review" in producer.get("/en/producer/").get_data(as_text=True)


def test_a_second_change_extends_the_pending_one_and_undoing_it_withdraws_it(garlic, producer_client):
    producer = producer_client(garlic.producer)
    producer.post(f"/producer/products/{garlic.id}/text", data=text_of(garlic, summary_vi="Tóm tắt mới"))
    producer.post(f"/producer/products/{garlic.id}/text",
                  data=text_of(garlic, summary_vi="Tóm tắt mới", name_en="Lý Sơn garlic, new"))
    [edit] = db.session.scalars(select(ListingEdit)).all()
    assert edit.text == {"summary_vi": "Tóm tắt mới", "name_en": "Lý Sơn garlic, new"}
    producer.post(f"/producer/products/{garlic.id}/text", data=text_of(garlic))
    assert db.session.scalar(select(func.count()).select_from(ListingEdit)) == 0


def test_approval_puts_the_change_live_and_tells_the_producer(garlic, producer_client, admin_client, client):
    producer = producer_client(garlic.producer)
    producer.post(f"/producer/products/{garlic.id}/text",
                  data=text_of(garlic, name_vi="Tỏi cô đơn Lý Sơn", description_vi="Mô tả mới."))
    edit = db.session.scalar(select(ListingEdit))
    queue = admin_client.get("/en/admin/moderation").get_data(as_text=True)
    assert "Tỏi Lý Sơn" in queue and "Name (Vietnamese), Description (Vietnamese)" in queue
    diff = admin_client.get(f"/en/admin/moderation/{edit.id}").get_data(as_text=True)
    assert '<td class="diff-old"><p>Tỏi trồng trên đảo.</p></td>' in diff
    assert '<td class="diff-new"><p>Mô tả mới.</p></td>' in diff
    assert admin_client.post(f"/admin/moderation/{edit.id}/approve").status_code == 302
    db.session.refresh(garlic)
    db.session.refresh(edit)
    assert (garlic.name_vi, garlic.description_vi, edit.status) == \
        ("Tỏi cô đơn Lý Sơn", "Mô tả mới.", EditStatus.APPROVED)
    assert "Mô tả mới." in client.get(f"/products/{garlic.slug}").get_data(as_text=True)
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["product.apply_edit", "listing_edit.approve"]
    update = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "product.apply_edit"))
    assert update.changes["description_vi"] == ["Tỏi trồng trên đảo.", "Mô tả mới."]
    assert update.actor_label == "office@ocop.vn"
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.recipient == producer.user.email and "Tỏi cô đơn Lý Sơn" in message.subject
    # decided once only
    assert admin_client.post(f"/admin/moderation/{edit.id}/approve").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_refusal_keeps_the_old_text_and_tells_the_producer_why(garlic, producer_client, admin_client, client):
    producer = producer_client(garlic.producer)
    producer.post(f"/producer/products/{garlic.id}/text", data=text_of(garlic, description_vi="Tốt nhất thế giới!"))
    edit = db.session.scalar(select(ListingEdit))
    empty = admin_client.post(f"/en/admin/moderation/{edit.id}/reject", data={"reason": "  "})
    assert empty.status_code == 400 and "Tell the producer why the change is refused." in empty.get_data(as_text=True)
    response = admin_client.post(f"/admin/moderation/{edit.id}/reject",
                                 data={"reason": "Không được ghi <i>tốt nhất</i> khi không có chứng cứ."})
    assert response.status_code == 302
    db.session.refresh(garlic)
    db.session.refresh(edit)
    assert garlic.description_vi == "Tỏi trồng trên đảo." and edit.status == EditStatus.REJECTED
    assert "Tốt nhất" not in client.get(f"/products/{garlic.slug}").get_data(as_text=True)
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.recipient == producer.user.email
    assert "Không được ghi <i>tốt nhất</i> khi không có chứng cứ." in message.body
    own = producer.get(f"/en/producer/products/{garlic.id}").get_data(as_text=True)
    assert "The OCOP office did not accept your last change" in own
    assert "Không được ghi &lt;i&gt;tốt nhất&lt;/i&gt; khi không có chứng cứ." in own
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "listing_edit.reject")).note \
        == "Không được ghi <i>tốt nhất</i> khi không có chứng cứ."


def form_value(page: str, name: str) -> str:
    """The value a text input or textarea named `name` shows (unescaped)."""
    import html

    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page) or \
        re.search(rf'<textarea[^>]*name="{name}"[^>]*>(?:\r?\n)?([^<]*)</textarea>', page)
    assert found, name
    return html.unescape(found.group(1))


def refuse(admin_client, reason="Không được ghi “tốt nhất” khi không có chứng cứ."):
    edit = db.session.scalar(select(ListingEdit).where(ListingEdit.status == EditStatus.PENDING))
    assert admin_client.post(f"/admin/moderation/{edit.id}/reject", data={"reason": reason}).status_code == 302
    return edit


def test_a_refused_change_stays_in_the_form_with_the_reason_until_it_is_corrected_and_sent_again(
        garlic, producer_client, admin_client, client):
    producer = producer_client(garlic.producer)
    producer.post(f"/producer/products/{garlic.id}/text",
                  data=text_of(garlic, summary_vi="Tỏi ngon nhất thế giới", description_vi="Trồng trên cát."))
    refused = refuse(admin_client)
    for lang, notice, button in (
            ("", "Thay đổi của bạn vẫn nằm trong biểu mẫu bên dưới", "Gửi lại thay đổi đã sửa để duyệt"),
            ("/en", "Your change is kept in the form below, as you sent it", "Send the corrected change for review")):
        page = producer.get(f"{lang}/producer/products/{garlic.id}").get_data(as_text=True)
        assert notice in page and button in page
        assert "Không được ghi “tốt nhất” khi không có chứng cứ." in page
        assert form_value(page, "summary_vi") == "Tỏi ngon nhất thế giới"  # the draft, not the live text
        assert form_value(page, "description_vi") == "Trồng trên cát."
    assert "Tỏi ngon nhất" not in client.get(f"/products/{garlic.slug}").get_data(as_text=True)

    # The producer corrects one field and sends the change again: the rest of its draft goes with it.
    response = producer.post(f"/producer/products/{garlic.id}/text",
                             data=text_of(garlic, summary_vi="Tỏi một tép", description_vi="Trồng trên cát."))
    assert response.status_code == 302
    pending = db.session.scalar(select(ListingEdit).where(ListingEdit.status == EditStatus.PENDING))
    assert pending.text == {"summary_vi": "Tỏi một tép", "description_vi": "Trồng trên cát."}
    db.session.refresh(refused)
    assert refused.status == EditStatus.REJECTED and refused.closed_at is not None
    page = producer.get(f"/en/producer/products/{garlic.id}").get_data(as_text=True)
    assert "Your change waits for the OCOP office" in page and "did not accept" not in page

    # Approved, the listing is live and nothing is left to amend.
    assert admin_client.post(f"/admin/moderation/{pending.id}/approve").status_code == 302
    page = producer.get(f"/en/producer/products/{garlic.id}").get_data(as_text=True)
    assert "did not accept" not in page and form_value(page, "summary_vi") == "Tỏi một tép"


def test_a_refused_photo_stays_in_the_draft_and_goes_with_the_corrected_text(garlic, producer_client,
                                                                             admin_client, jpeg):
    import io

    producer = producer_client(garlic.producer)
    producer.post(f"/producer/products/{garlic.id}/photos", content_type="multipart/form-data",
                  data={"photo": (io.BytesIO(jpeg()), "IMG_0001.jpg"), "alt_vi": "Củ tỏi trên nia", "alt_en": ""})
    producer.post(f"/producer/products/{garlic.id}/text", data=text_of(garlic, summary_vi="Tỏi to nhất"))
    refuse(admin_client, reason="Bỏ chữ “nhất”.")
    page = producer.get(f"/en/producer/products/{garlic.id}").get_data(as_text=True)
    assert 'alt="Củ tỏi trên nia"' in page and form_value(page, "summary_vi") == "Tỏi to nhất"
    producer.post(f"/producer/products/{garlic.id}/text", data=text_of(garlic, summary_vi="Tỏi to"))
    pending = db.session.scalar(select(ListingEdit).where(ListingEdit.status == EditStatus.PENDING))
    assert pending.text == {"summary_vi": "Tỏi to"}
    assert [photo["alt_vi"] for photo in pending.photos] == ["Củ tỏi trên nia"]


def test_discarding_the_refused_change_brings_the_live_listing_back_to_the_form(garlic, producer_client,
                                                                                 admin_client):
    producer = producer_client(garlic.producer)
    producer.post(f"/producer/products/{garlic.id}/text", data=text_of(garlic, summary_vi="Tỏi ngon nhất"))
    refused = refuse(admin_client)
    response = producer.post(f"/en/producer/products/{garlic.id}/draft/discard")
    assert response.status_code == 302
    page = producer.get(response.location).get_data(as_text=True)
    assert "The refused change is discarded" in page and "did not accept" not in page
    assert form_value(page, "summary_vi") == garlic.summary_vi
    db.session.refresh(refused)
    assert refused.closed_at is not None and refused.status == EditStatus.REJECTED
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "listing_edit.discard"))
    assert entry.actor_label == producer.user.email and entry.object_id == refused.id
    again = producer.post(f"/en/producer/products/{garlic.id}/draft/discard")
    assert again.status_code == 302
    assert "There is no refused change to discard." in producer.get(again.location).get_data(as_text=True)
    assert producer.post(f"/producer/products/{garlic.id}/draft/discard", csrf=False).status_code == 400


def test_with_review_turned_off_a_change_applies_at_once(app, garlic, producer_client, client):
    producer = producer_client(garlic.producer)
    app.config["LISTING_EDITS_NEED_REVIEW"] = False
    try:
        response = producer.post(f"/producer/products/{garlic.id}/text", data=text_of(garlic, summary_vi="Ngay."))
    finally:
        app.config["LISTING_EDITS_NEED_REVIEW"] = True
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ListingEdit)) == 0
    db.session.refresh(garlic)
    assert garlic.summary_vi == "Ngay."
    assert "Ngay." in client.get(f"/products/{garlic.slug}").get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "product.update")).changes \
        == {"summary_vi": ["", "Ngay."]}


def test_an_unpublished_product_changes_at_once(garlic, producer_client):
    garlic.is_published = False
    db.session.commit()
    producer = producer_client(garlic.producer)
    producer.post(f"/producer/products/{garlic.id}/text", data=text_of(garlic, summary_vi="Bản nháp."))
    db.session.refresh(garlic)
    assert garlic.summary_vi == "Bản nháp."
    assert db.session.scalar(select(func.count()).select_from(ListingEdit)) == 0


def test_an_empty_name_is_refused(garlic, producer_client):
    producer = producer_client(garlic.producer)
    response = producer.post(f"/en/producer/products/{garlic.id}/text", data=text_of(garlic, name_vi=""))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter the product&#39;s name in Vietnamese." in page or "Enter the product's name in Vietnamese." in page
    assert db.session.scalar(select(func.count()).select_from(ListingEdit)) == 0


def test_a_photo_waits_for_review_then_goes_live(garlic, producer_client, admin_client, client, jpeg):
    producer = producer_client(garlic.producer)
    response = producer.post(f"/producer/products/{garlic.id}/photos", content_type="multipart/form-data",
                             data={"photo": (__import__("io").BytesIO(jpeg()), "IMG_0001.jpg"),
                                   "alt_vi": "Củ tỏi trên nia", "alt_en": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert garlic.images == []
    edit = db.session.scalar(select(ListingEdit))
    assert len(edit.photos) == 1 and edit.text == {}
    assert "Củ tỏi trên nia" not in client.get(f"/products/{garlic.slug}").get_data(as_text=True)
    diff = admin_client.get(f"/admin/moderation/{edit.id}").get_data(as_text=True)
    assert 'alt="Củ tỏi trên nia"' in diff
    admin_client.post(f"/admin/moderation/{edit.id}/approve")
    db.session.refresh(garlic)
    assert [image.alt_vi for image in garlic.images] == ["Củ tỏi trên nia"]
    assert 'alt="Củ tỏi trên nia"' in client.get(f"/products/{garlic.slug}").get_data(as_text=True)
    # removing it is a change to review as well
    image_id = garlic.images[0].image_id
    assert producer.post(f"/producer/products/{garlic.id}/photos/{image_id}/remove").status_code == 302
    edit = db.session.scalar(select(ListingEdit).where(ListingEdit.status == EditStatus.PENDING))
    assert edit.photos == []
    db.session.refresh(garlic)
    assert len(garlic.images) == 1


def test_the_producer_profile_saves_contact_and_story_escaped_on_the_public_page(make_producer, producer_client,
                                                                                 client):
    producer = make_producer(name="HTX Quế Trà Bồng")
    db.session.commit()
    own = producer_client(producer)
    bad = own.post("/en/producer/profile", data={"phone": "12345", "story_vi": "x"})
    assert bad.status_code == 400 and "Enter a Vietnamese phone number" in bad.get_data(as_text=True)
    response = own.post("/producer/profile", data={
        "address": "Thôn 1, xã Trà Bồng", "phone": "0912 345 678", "email": "que@example.vn", "website": "",
        "story_vi": "Ông bà tôi trồng quế.\n\n<script>alert(1)</script>", "story_en": ""})
    assert response.status_code == 302
    db.session.refresh(producer)
    assert (producer.phone, producer.name) == ("0912345678", "HTX Quế Trà Bồng")
    page = client.get(f"/producers/{producer.slug}").get_data(as_text=True)
    assert "<p>Ông bà tôi trồng quế.</p>" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


PRODUCER_ROUTES = [
    ("GET", "/producer/products/{id}", None),
    ("POST", "/producer/products/{id}/price-stock", {"price": "1", "stock": "1"}),
    ("POST", "/producer/products/{id}/text", {**TEXT, "name_vi": "Chiếm"}),
    ("POST", "/producer/products/{id}/photos/{image}/remove", {}),
    ("POST", "/producer/products/{id}/photos", "photo"),
    ("POST", "/producer/products/{id}/draft/discard", {}),
]


@pytest.mark.parametrize("method,path,data", PRODUCER_ROUTES)
def test_another_producers_product_is_a_404_and_stays_unchanged(make_product, make_producer, producer_client,
                                                                jpeg, method, path, data):
    import io

    from storefront.catalog.models import ProductImage
    from storefront.media.pipeline import store_image

    theirs = make_product(name_vi="Quế của B", producer=make_producer(), price=50_000, stock=3)
    image = store_image(jpeg())
    db.session.flush()
    theirs.images.append(ProductImage(image_id=image.id, alt_vi="Ảnh của B"))
    db.session.commit()
    intruder = producer_client(make_producer())
    url = path.format(id=theirs.id, image=image.id)
    if data == "photo":
        data = {"photo": (io.BytesIO(jpeg(color=(1, 2, 3))), "x.jpg"), "alt_vi": "Ảnh lạ"}
    response = intruder.open(url, method=method, data=data)
    assert response.status_code == 404
    db.session.refresh(theirs)
    assert (theirs.name_vi, theirs.price, theirs.stock, len(theirs.images)) == ("Quế của B", 50_000, 3, 1)
    assert db.session.scalar(select(func.count()).select_from(ListingEdit)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_every_producer_product_route_is_checked_for_ownership(app):
    """The list above covers every /producer/products route: a new one must join it."""
    routes = {(method, re.sub(r"<int:(\w+)>", "x", rule.rule.removeprefix("/<any(en):lang>")))
              for rule in app.url_map.iter_rules() if "/producer/products" in rule.rule
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    covered = {(method, re.sub(r"\{\w+\}", "x", path)) for method, path, _ in PRODUCER_ROUTES}
    assert routes == covered


def test_an_empty_optional_text_is_no_change_to_review(garlic, producer_client):
    garlic.summary_en, garlic.unit_en = "", None
    db.session.commit()
    producer = producer_client(garlic.producer)
    producer.post(f"/producer/products/{garlic.id}/text", data=text_of(garlic, summary_en="", unit_en=""))
    assert db.session.scalar(select(func.count()).select_from(ListingEdit)) == 0


@pytest.mark.parametrize("lang,no_price", [("", "Chưa có giá"), ("/en", "No price")])
def test_the_dashboard_shows_a_product_without_a_price(make_product, make_producer, producer_client, lang,
                                                       no_price):
    """The province's lists have no prices: a producer signing in lands here with such products."""
    producer = make_producer(name="HTX Mắm Sa Huỳnh", email=None, phone=None, website=None)
    make_product(name_vi="Nước mắm Sa Huỳnh", name_en=None, unit_en=None, producer=producer, price=None,
                 stock=0, stars=None)
    make_product(name_vi="Mắm nêm", producer=producer, price=45_000)
    db.session.commit()
    page = producer_client(producer).get(f"{lang}/producer/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Nước mắm Sa Huỳnh" in text and no_price in text and "45.000" in text
