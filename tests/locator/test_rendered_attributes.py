"""No locator page writes an attribute from a missing value: required="None", hidden="False"… (a value
that is None or False must leave the attribute out)."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from storefront.clock import today
from storefront.extensions import db
from storefront.locator.models import Destination, SalesPoint, SalesPointStock

MISSING_VALUE = re.compile(r'[\w:-]+="(?:None|False)"')


def missing_values(html: str) -> list[str]:
    return MISSING_VALUE.findall(html)


@pytest.fixture(scope="module")
def demo_paths(demo_app):
    """Every locator page of the demo shop, with the questions a visitor asks them."""
    with demo_app.app_context():
        points = db.session.scalars(select(SalesPoint.slug)).all()
        destinations = [d.product.slug for d in db.session.scalars(select(Destination))]
        stocked = db.session.scalars(select(SalesPointStock).limit(1)).one().product.slug
        db.session.remove()
    lists = ["/sales-points", "/destinations"]
    questions = ["", "?near=my+khe", "?near=Lý+Sơn", "?near=ly+so", "?near=khong+co+noi+nay", "?lat=15.12&lng=108.8",
                 "?lat=abc&lng=1", "?district=khong-co", "?near=" + "x" * 101, "?page=2", "?group=1"]
    paths = [path + question for path in lists for question in questions]
    paths += [f"/sales-points/{slug}" for slug in points]
    paths += [f"/products/{slug}" for slug in destinations]
    paths += [f"/destinations/{slug}/visit" for slug in destinations]
    paths += [f"/products/{stocked}{question}" for question in ("", "?near=sa+ky", "?near=atlantis", "?lat=15.2&lng=108.9")]
    return paths, destinations


@pytest.mark.parametrize("lang", ["", "/en"])
def test_no_locator_page_renders_an_attribute_from_a_missing_value(demo_app, demo_paths, lang):
    client = demo_app.test_client()
    paths, destinations = demo_paths
    checked = 0
    for path in paths:
        response = client.get(lang + path)
        assert response.status_code < 500, path
        if response.status_code != 404:
            assert missing_values(response.get_data(as_text=True)) == [], lang + path
            checked += 1
    # The visit form as it comes back with its errors (nothing is stored: every post is refused).
    for slug in destinations:
        for data in ({}, {"name": "An", "phone": "12", "visit_date": "2020-01-01", "party_size": "0", "message": ""}):
            response = client.post(f"{lang}/destinations/{slug}/visit", data=data,
                                   environ_base={"REMOTE_ADDR": "198.51.100.50"})
            assert response.status_code == 400
            assert missing_values(response.get_data(as_text=True)) == [], f"POST {lang}/destinations/{slug}/visit"
    assert checked > 30


def test_the_confirmation_of_a_visit_request_has_no_missing_values(client, make_destination, make_producer):
    place = make_destination(producer=make_producer(phone=None))
    db.session.commit()
    response = client.post(f"/en/destinations/{place.product.slug}/visit", data={
        "name": "Anna", "phone": "+49 151 23456789", "visit_date": (today() + timedelta(days=3)).isoformat(),
        "party_size": "2", "message": ""})
    assert response.status_code == 303
    assert missing_values(client.get(response.headers["Location"]).get_data(as_text=True)) == []


def test_the_form_macro_leaves_out_attributes_given_as_none_or_false(app):
    from flask import render_template_string

    from storefront.locator.forms import VisitRequestForm

    with app.test_request_context("/"):
        form = VisitRequestForm(destination=None)
        html = render_template_string(
            '{% from "_macros/forms.html" import field %}'
            "{{ field(form.message, required=form.message.flags.required, placeholder=none, readonly=false) }}"
            "{{ field(form.name, required=form.name.flags.required) }}", form=form)
    assert missing_values(html) == []
    assert "<textarea" in html and "required" not in html.split("<textarea")[1].split(">")[0]
    assert re.search(r'<input[^>]* required[ >]', html)  # a required field still says so
