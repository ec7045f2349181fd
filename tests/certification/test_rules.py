"""Each certificate rule has one home (certification/rules.py): the office's form, the import and the demo
data apply it alike, and the database refuses what breaks it wherever a CHECK constraint can say so."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from catalog_files_fixture import sample_producers  # noqa: F401  (a fixture)
from storefront.catalog.importer import COLUMNS, dry_run
from storefront.catalog.models import Product
from storefront.certification.models import Certificate, CertificationLevel, default_valid_until
from storefront.certification.rules import check_certificate
from storefront.demo.builder import build_catalogue
from storefront.extensions import db
from storefront.i18n import set_lang

CENTRAL, PROVINCE, DISTRICT = CertificationLevel.CENTRAL, CertificationLevel.PROVINCE, CertificationLevel.DISTRICT
TODAY = date(2026, 11, 22)
BEFORE_JULY_2025 = date(2024, 10, 1)


@pytest.fixture(autouse=True)
def in_english():
    set_lang("en")
    yield
    set_lang("vi")


@pytest.mark.parametrize("stars, score, level, decided, field, message", [
    (5, 95, PROVINCE, TODAY, "level", "5 stars are certified at the central level."),
    (5, 95, DISTRICT, BEFORE_JULY_2025, "level", "5 stars are certified at the central level."),
    (4, 80, DISTRICT, BEFORE_JULY_2025, "level", "A district only certified 3 stars."),
    (3, 60, DISTRICT, date(2025, 7, 1), "level", "Districts no longer certify since 1 July 2025"),
    (4, 80, CENTRAL, TODAY, "level", "The central level certifies 5 stars only"),
    (2, 40, PROVINCE, TODAY, "stars", "Only 3, 4 and 5 stars are certified."),
    (4, 65, PROVINCE, TODAY, "score", "A score of 65 gives 3 stars, not 4."),
    (3, 101, PROVINCE, TODAY, "score", "The score is out of 100."),
    (3, 60, PROVINCE, TODAY + timedelta(days=1), "decision_date", "cannot be in the future"),
])
def test_what_the_rules_refuse(stars, score, level, decided, field, message):
    breaches = check_certificate(stars=stars, score=score, level=level, decision_date=decided, today=TODAY)
    assert [breach.field for breach in breaches] == [field]
    assert message in breaches[0].message


@pytest.mark.parametrize("stars, score, level, decided", [
    (5, 90, CENTRAL, TODAY), (4, 89, PROVINCE, TODAY), (3, 50, PROVINCE, TODAY), (4, 70, PROVINCE, BEFORE_JULY_2025),
    (3, 69, DISTRICT, date(2025, 6, 30)),
])
def test_what_the_rules_allow(stars, score, level, decided):
    assert check_certificate(stars=stars, score=score, level=level, decision_date=decided,
                             valid_until=default_valid_until(decided), today=TODAY) == []


def test_a_decision_cannot_end_before_it_was_taken():
    [breach] = check_certificate(stars=3, score=60, level=PROVINCE, decision_date=TODAY,
                                 valid_until=TODAY - timedelta(days=1), today=TODAY)
    assert breach.field == "valid_until"


@pytest.mark.parametrize("changes", [
    {"stars": 5, "score": 95, "level": PROVINCE},
    {"stars": 4, "score": 80, "level": DISTRICT, "decision_date": BEFORE_JULY_2025},
    {"stars": 3, "score": 60, "level": DISTRICT, "decision_date": date(2025, 7, 1)},
    {"stars": 4, "score": 80, "level": CENTRAL},
    {"valid_from": TODAY - timedelta(days=30), "valid_until": TODAY - timedelta(days=1)},
    {"stars": 4, "score": 69},
    {"stars": 2, "score": 40},
])
def test_the_database_refuses_what_the_rules_refuse(make_product, changes):
    """Written straight to the table, as a script or a bug would: the CHECK constraints hold."""
    product = make_product(stars=None)
    db.session.commit()
    fields = {"product": product, "number": "CHECK-1", "stars": 3, "score": 60, "decision_number": "1/QĐ-UBND",
              "decision_date": TODAY, "authority": "UBND tỉnh Quảng Ngãi", "level": PROVINCE,
              "valid_from": TODAY, "valid_until": default_valid_until(TODAY), **changes}
    if "decision_date" in changes:
        fields["valid_from"] = changes["decision_date"]
        fields["valid_until"] = default_valid_until(changes["decision_date"])
    db.session.add(Certificate(**fields))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


HEADER = ",".join(column.header_vi for column in COLUMNS)


def import_row(stars, score, level="", authority="", number="C-1", decided="01/09/2026"):
    values = {"name_vi": f"Mật ong Kim Lộc {number}", "producer": "HTX Sản xuất và kinh doanh tỏi Kim Lộc",
              "district": "Lý Sơn", "group": "Thực phẩm", "subgroup": "Thực phẩm chế biến", "stars": stars,
              "score": score, "certificate_number": number, "decision_number": f"{number}/QĐ", "decision_date": decided,
              "authority": authority, "level": level}
    return ",".join(f'"{values.get(column.key, "")}"' for column in COLUMNS)


def test_the_import_refuses_what_the_office_form_refuses(sample_producers, travel_to):
    travel_to(TODAY)
    lines = [HEADER,
             import_row(5, 95, level="Tỉnh", number="C-2"),                                     # 2: 5★ provincial
             import_row(4, 80, level="Huyện", authority="UBND huyện Lý Sơn", number="C-3",
                        decided="01/10/2024"),                                                  # 3: 4★ district
             import_row(4, 80, authority="UBND huyện Lý Sơn", number="C-4", decided="01/10/2024"),  # 4: the same, implied
             import_row(3, 60, level="Huyện", authority="UBND huyện Lý Sơn", number="C-5"),     # 5: district, 2026
             import_row(4, 80, level="Trung ương", number="C-6"),                               # 6: 4★ central
             import_row(5, 95, authority="Bộ Nông nghiệp và Môi trường", number="C-7"),         # 7: fine (central)
             import_row(3, 60, level="Huyện", authority="UBND huyện Lý Sơn", number="C-8",
                        decided="30/06/2025"),                                                  # 8: fine
             ]
    report = dry_run("\n".join(lines).encode())
    messages = {(problem.row, problem.column): problem.message for problem in report.problems}
    assert set(messages) == {(2, "Cấp công nhận"), (3, "Cấp công nhận"), (4, "Cấp công nhận"),
                             (5, "Cấp công nhận"), (6, "Cấp công nhận")}
    assert messages[2, "Cấp công nhận"] == "5 stars are certified at the central level."
    assert messages[3, "Cấp công nhận"] == messages[4, "Cấp công nhận"] == "A district only certified 3 stars."
    assert "no longer certify" in messages[5, "Cấp công nhận"]
    assert not report.ok and db.session.scalar(select(func.count(Product.id))) == 0
    levels = [plan.values["level"] for plan in report.plans]
    assert levels == [CENTRAL, DISTRICT]


@pytest.mark.parametrize("day", [date(2026, 11, 22), date(2025, 3, 1)])
def test_the_demo_makes_only_certificates_the_office_could_issue(day):
    catalogue = build_catalogue(day)
    assert catalogue.certificates
    for certificate in catalogue.certificates:
        assert check_certificate(stars=certificate.stars, score=certificate.score, level=certificate.level,
                                 decision_date=certificate.decision_date, valid_until=certificate.valid_until,
                                 today=day) == [], certificate
