"""Certification is derived from dates: the one helper decides, and the model agrees with it."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from storefront.certification.models import (Certificate, CertificateStatus, default_valid_until,
                                             stars_for_score)
from storefront.certification.queries import certified_products, current_certificate, stars_by_product
from storefront.clock import end_of_local_day_utc, today
from storefront.extensions import db


def certified_ids(day=None):
    query, _ = certified_products(day)
    return {product.id for product, _stars in db.session.execute(query)}


def test_valid_until_is_36_months_from_the_decision_inclusive():
    assert default_valid_until(date(2023, 12, 25)) == date(2026, 12, 24)
    assert default_valid_until(date(2024, 2, 29)) == date(2027, 2, 27)


@pytest.mark.parametrize("score, stars", [(100, 5), (90, 5), (89, 4), (70, 4), (69, 3), (50, 3), (49, 2),
                                          (30, 2), (29, 1), (0, 1)])
def test_stars_follow_the_score_bands_of_decision_148(score, stars):
    assert stars_for_score(score) == stars


def test_a_product_is_certified_from_the_first_to_the_last_day_of_validity(make_product, make_certificate):
    product = make_product(stars=None)
    certificate = make_certificate(product, stars=4, decision_date=today() - timedelta(days=10),
                                   valid_until=today() + timedelta(days=5))
    assert product.id in certified_ids(certificate.valid_from)
    assert product.id in certified_ids(certificate.valid_until)
    assert product.id not in certified_ids(certificate.valid_until + timedelta(days=1))
    assert product.id not in certified_ids(certificate.valid_from - timedelta(days=1))
    assert certificate.status_on(certificate.valid_until + timedelta(days=1)) == CertificateStatus.EXPIRED


def test_an_expired_certificate_leaves_the_product_uncertified_today(make_product, make_certificate):
    product = make_product(stars=None)
    make_certificate(product, stars=4, decision_date=today() - timedelta(days=1200),
                     valid_until=today() - timedelta(days=1))
    assert product.id not in certified_ids()
    assert current_certificate(product) is None
    assert stars_by_product([product.id]) == {}


def test_revocation_takes_effect_on_the_local_day_it_happens(make_product, make_certificate):
    product = make_product(stars=None)
    day = today()
    # 23:30 in Quảng Ngãi on `day` is 16:30 UTC: revoked that day, certified the day before.
    revoked_at = end_of_local_day_utc(day) - timedelta(minutes=30)
    certificate = make_certificate(product, stars=3, decision_date=day - timedelta(days=30),
                                   revoked_at=revoked_at, revocation_reason="Vi phạm chất lượng")
    assert product.id not in certified_ids(day)
    assert product.id in certified_ids(day - timedelta(days=1))
    assert certificate.status_on(day) == CertificateStatus.REVOKED
    assert certificate.status_on(day - timedelta(days=1)) == CertificateStatus.VALID


def test_an_upgrade_shows_the_higher_star_level_while_both_are_valid(make_product, make_certificate):
    product = make_product(stars=3)
    make_certificate(product, stars=4, decision_date=today() - timedelta(days=2))
    assert stars_by_product([product.id]) == {product.id: 4}
    assert current_certificate(product).stars == 4
    assert len(product.certificates) == 2


def test_an_unpublished_product_is_not_listed_but_still_counts_as_certified(make_product):
    product = make_product(stars=3, is_published=False)
    assert product.id not in certified_ids()
    query, _ = certified_products(published_only=False)
    assert product.id in {p.id for p, _ in db.session.execute(query)}


@pytest.mark.parametrize("stars, score", [(2, 40), (3, 70), (4, 95), (5, 89), (6, 100)])
def test_the_database_refuses_stars_without_certification_or_inconsistent_scores(
        make_product, make_certificate, stars, score):
    product = make_product(stars=None)
    with pytest.raises(Exception):
        make_certificate(product, stars=stars, score=score)
    db.session.rollback()
    assert db.session.scalars(select(Certificate)).all() == []


def test_the_sql_rule_and_the_model_rule_agree(make_product, make_certificate):
    day = today()
    cases = [
        dict(decision_date=day - timedelta(days=5)),
        dict(decision_date=day - timedelta(days=2000), valid_until=day - timedelta(days=1)),
        dict(decision_date=day + timedelta(days=3)),
        dict(decision_date=day - timedelta(days=5), revoked_at=datetime(2000, 1, 1)),
    ]
    for fields in cases:
        product = make_product(stars=None)
        certificate = make_certificate(product, **fields)
        in_sql = product.id in certified_ids(day)
        assert in_sql == (certificate.status_on(day) == CertificateStatus.VALID), fields
