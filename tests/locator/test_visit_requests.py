"""A visitor asks to visit an OCOP destination: validated, rate-limited, stored whole or not at all."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storefront.clock import today
from storefront.extensions import db
from storefront.locator import operations, queries
from storefront.locator.models import VisitRequest


def stored() -> int:
    return db.session.scalar(select(func.count()).select_from(VisitRequest))


def form(**changes):
    data = {"name": "Nguyễn Thị Mai", "phone": "0905 381 246", "visit_date": (today() + timedelta(days=5)).isoformat(),
            "party_size": "4", "message": "Đoàn có hai trẻ em."}
    data.update(changes)
    return data


@pytest.fixture
def destination(make_destination, make_producer):
    producer = make_producer(name="HTX Du lịch cộng đồng Gò Cỏ", phone="0912345678")
    place = make_destination(producer=producer)
    db.session.commit()
    return place


def url(destination, lang="vi"):
    return ("/en" if lang == "en" else "") + f"/destinations/{destination.product.slug}/visit"


def test_a_request_is_stored_and_the_producers_contact_shown(client, destination):
    response = client.post(url(destination), data=form())
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Yêu cầu tham quan của bạn đã được gửi" in page
    assert 'href="tel:+84912345678">+84 912 345 678</a>' in page  # the producer's phone, dialable from abroad
    visit = db.session.scalars(select(VisitRequest)).one()
    assert (visit.name, visit.phone, visit.party_size, visit.language) == ("Nguyễn Thị Mai", "+84905381246", 4, "vi")
    assert "+84 905 381 246" in page  # the number the producer will call
    assert visit.visit_date == today() + timedelta(days=5)
    # What the producer and the provincial office will list.
    assert queries.visit_requests(producer_id=destination.product.producer_id) == [visit]
    assert queries.visit_requests(producer_id=destination.product.producer_id + 999) == []


@pytest.mark.parametrize("changes, vietnamese, english", [
    ({"visit_date": (today() - timedelta(days=1)).isoformat()}, "Ngày này đã qua", "This day has passed"),
    ({"visit_date": "31/02/2027"}, "Hãy nhập một ngày hợp lệ", "Give the date as a day of the calendar"),
    ({"phone": "12345"}, "không đọc được số điện thoại này", "could not read this as a phone number"),
    ({"phone": "0905 381 24"}, "không đọc được số điện thoại này", "could not read this as a phone number"),
    ({"phone": "49 151 23456789"}, "dấu + và mã quốc gia", "+ and the country code"),
    ({"phone": "+49 151 234"}, "không đọc được số điện thoại này", "could not read this as a phone number"),
    ({"name": "   "}, "Hãy cho biết tên của bạn", "Tell us your name"),
    ({"party_size": "0"}, "từ 1 đến 200 người", "from 1 to 200 people"),
    ({"party_size": "ba"}, "Hãy nhập một số nguyên", "Give a whole number"),
    ({"message": "x" * 1001}, "không quá 1.000 ký tự", "under 1,000 characters"),
])
def test_bad_requests_are_refused_with_a_message_and_nothing_is_stored(client, destination, changes, vietnamese,
                                                                       english):
    response = client.post(url(destination), data=form(**changes))
    assert response.status_code == 400
    assert vietnamese in response.get_data(as_text=True)
    assert english in client.post(url(destination, "en"), data=form(**changes)).get_data(as_text=True)
    assert stored() == 0


def test_a_day_the_place_is_closed_is_refused(client, destination):
    holiday = today() + timedelta(days=10)
    operations.add_exception(destination, holiday, closed=True, note_vi="Nghỉ Tết")
    db.session.commit()
    response = client.post(url(destination, "en"), data=form(visit_date=holiday.isoformat()))
    assert response.status_code == 400
    assert f"The place is closed on {holiday:%d/%m/%Y}" in response.get_data(as_text=True)
    assert stored() == 0


def test_fifty_requests_a_minute_from_one_address_are_cut_off(client, destination):
    statuses = [client.post(url(destination), data=form(), environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code
                for _ in range(50)]
    assert statuses[:5] == [303] * 5
    assert set(statuses[5:]) == {429}
    refused = client.post(url(destination, "en"), data=form(), environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert "Too many requests" in refused.get_data(as_text=True)
    assert stored() == 5
    # Another visitor is not held up by them.
    assert client.post(url(destination), data=form(), environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 303


def test_a_request_needs_the_forms_token(app, client, destination):
    assert client.post(url(destination), data=form(), csrf=False).status_code == 400
    assert stored() == 0
    page = client.get(url(destination)).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(url(destination), data=form(csrf_token=token)).status_code == 303
    assert stored() == 1


def test_an_unknown_destination_is_a_404(client, make_product):
    garlic = make_product()
    db.session.commit()
    assert client.get("/destinations/khong-co/visit").status_code == 404
    assert client.get(f"/destinations/{garlic.slug}/visit").status_code == 404  # not a place to visit


def test_the_confirmation_page_is_only_for_the_visitor_who_sent_it(client, destination):
    response = client.get(url(destination) + "/sent")
    assert response.status_code == 302 and response.headers["Location"].endswith(url(destination))


def test_the_office_lists_visit_requests_from_the_command_line(app, client, destination):
    client.post(url(destination), data=form(name="Trần Văn Bình", message="Đi bằng xe máy."))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["locator", "visit-requests", "--producer", destination.product.producer.slug])
    assert result.exit_code == 0, result.output
    assert "Trần Văn Bình, +84 905 381 246" in result.output and "Đi bằng xe máy." in result.output
    assert "4 người" in result.output
    unknown = runner.invoke(args=["locator", "visit-requests", "--producer", "khong-co"])
    assert unknown.exit_code != 0 and "No producer" in unknown.output


def test_the_producer_is_told_and_sees_its_own_requests_in_the_workspace(client, make_destination, make_producer,
                                                                          make_user, sign_in):
    from storefront.accounts.models import Role
    from storefront.notifications.models import OutboxMessage

    mine = make_producer(name="HTX Gò Cỏ", email="goco@example.vn")
    theirs = make_producer(name="HTX Thiên Ấn")
    ours, other = make_destination(producer=mine), make_destination(name_vi="Núi Thiên Ấn", producer=theirs)
    db.session.commit()
    assert client.post(url(ours), data=form(name="Khách Gò Cỏ")).status_code == 303
    assert client.post(url(other), data=form(name="Khách Thiên Ấn")).status_code == 303
    [notice] = db.session.scalars(select(OutboxMessage)).all()
    assert notice.recipient == "goco@example.vn" and "Khách Gò Cỏ" in notice.body

    producer_page = sign_in(make_user(role=Role.PRODUCER, producer=mine)).get("/producer/visit-requests")
    assert producer_page.status_code == 200
    text = producer_page.get_data(as_text=True)
    assert "Khách Gò Cỏ" in text and "Khách Thiên Ấn" not in text

    client.post("/sign-out")
    office = sign_in(make_user(role=Role.ADMIN)).get("/en/admin/visit-requests").get_data(as_text=True)
    assert "Khách Gò Cỏ" in office and "Khách Thiên Ấn" in office and "HTX Thiên Ấn" in office


@pytest.mark.parametrize("typed, stored_as, shown_as", [
    ("+49 151 23456789", "+4915123456789", "+49 1512 3456789"),
    ("0049 151 23456789", "+4915123456789", "+49 1512 3456789"),
    ("+1 (650) 253-0000", "+16502530000", "+1 650-253-0000"),
    ("+44 20 7946 0958", "+442079460958", "+44 20 7946 0958"),
    ("0905.381.246", "+84905381246", "+84 905 381 246"),
])
def test_a_tourist_may_give_a_number_from_abroad(client, destination, typed, stored_as, shown_as):
    response = client.post(url(destination, "en"), data=form(phone=typed))
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"will call you at {shown_as} to confirm" in page
    assert db.session.scalars(select(VisitRequest)).one().phone == stored_as


def test_the_form_says_a_number_from_abroad_is_welcome(client, destination):
    assert "+ and the country code, e.g. +49 151 23456789" in client.get(url(destination, "en")).get_data(as_text=True)
    assert "dấu + và mã quốc gia" in client.get(url(destination)).get_data(as_text=True)


def test_the_producer_reads_a_number_from_abroad_in_the_notice_and_on_the_command_line(app, client, make_destination,
                                                                                    make_producer):
    from storefront.notifications.models import OutboxMessage

    place = make_destination(producer=make_producer(email="goco@example.vn"))
    db.session.commit()
    assert client.post(url(place), data=form(name="Anna Schmidt", phone="+49 151 23456789")).status_code == 303
    assert "Anna Schmidt (+49 1512 3456789)" in db.session.scalars(select(OutboxMessage)).one().body
    result = app.test_cli_runner().invoke(args=["locator", "visit-requests"])
    assert "Anna Schmidt, +49 1512 3456789" in result.output


def test_a_visitor_who_gets_the_form_wrong_six_times_is_still_heard(client, destination):
    tourist = {"REMOTE_ADDR": "203.0.113.20"}
    mistakes = [{"phone": "12345"}, {"visit_date": "31/02/2027"}, {"name": ""}, {"party_size": "0"},
                {"phone": "49 151 23456789"}, {"visit_date": (today() - timedelta(days=1)).isoformat()}]
    for changes in mistakes:
        assert client.post(url(destination, "en"), data=form(**changes), environ_base=tourist).status_code == 400
    assert client.post(url(destination, "en"), data=form(phone="+49 151 23456789"), environ_base=tourist).status_code \
        == 303
    assert stored() == 1


def test_a_flood_of_refused_posts_is_cut_off_too(client, destination):
    from storefront.locator.views import VISIT_REQUEST_TRIES

    robot = {"REMOTE_ADDR": "203.0.113.30"}
    statuses = [client.post(url(destination), data=form(phone="x"), environ_base=robot).status_code
                for _ in range(VISIT_REQUEST_TRIES + 3)]
    assert statuses[:VISIT_REQUEST_TRIES] == [400] * VISIT_REQUEST_TRIES
    assert set(statuses[VISIT_REQUEST_TRIES:]) == {429}
    refused = client.post(url(destination, "en"), data=form(), environ_base=robot)
    assert refused.status_code == 429 and "Too many tries" in refused.get_data(as_text=True)
    assert stored() == 0
    assert VISIT_REQUEST_TRIES >= 10 * 5  # far more than a visitor correcting a form needs


def test_text_a_visitor_types_is_stored_clean(client, destination):
    response = client.post(url(destination), data=form(name=" Lê\x7f Văn\tAn ", message="Hai người.\r\n\x07Đi xe máy."))
    assert response.status_code == 303
    visit = db.session.scalars(select(VisitRequest)).one()
    assert (visit.name, visit.message) == ("Lê Văn An", "Hai người.\nĐi xe máy.")
    assert client.post(url(destination, "en"), data=form(name="\x01\x02")).status_code == 400  # nothing but controls
    assert client.post(url(destination, "en"), data=form(name="Lê\x00An")).status_code == 400  # no NUL anywhere
    assert stored() == 1
