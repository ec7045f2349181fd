"""The audit log: each back-office change names who made it and each field's old and new value."""
from sqlalchemy import select

from storefront.accounts.models import Role
from storefront.audit.models import AuditEntry
from storefront.audit.operations import DERIVED_FIELDS, record
from storefront.extensions import db


def entries():
    return db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()


def test_an_update_records_only_the_fields_that_changed(make_product, make_user):
    product = make_product(name_vi="Tỏi Lý Sơn", price=120_000, stock=5)
    admin = make_user(role=Role.ADMIN, email="office@ocop.vn")
    db.session.commit()
    product.price = 135_000
    product.stock = 5
    product.name_vi = "Tỏi cô đơn Lý Sơn"
    record("product.update", product, actor=admin)
    db.session.commit()
    [entry] = entries()
    assert entry.changes == {"price": [120_000, 135_000], "name_vi": ["Tỏi Lý Sơn", "Tỏi cô đơn Lý Sơn"]}
    assert (entry.actor_label, entry.action, entry.object_type, entry.object_id) == \
        ("office@ocop.vn", "product.update", "product", product.id)
    assert entry.object_label == "Tỏi cô đơn Lý Sơn"


def test_a_new_object_gets_its_id_and_every_value_set(make_producer):
    from storefront.catalog.models import Product

    product = Product(slug="que-tra-bong", name_vi="Quế Trà Bồng", producer=make_producer(), group=2,
                      subgroup="processed", price=90_000, stock=3, unit_vi="Gói")
    record("product.create", product)
    db.session.commit()
    [entry] = entries()
    assert entry.object_id == product.id and entry.actor_label == "system"
    assert entry.changes["price"] == [None, 90_000] and entry.changes["group"] == [None, 2]


def test_a_password_never_reaches_the_log(make_user):
    user = make_user(email="lan@example.vn")
    db.session.commit()
    user.set_password("mot-mat-khau-moi-dai")
    user.name = "Lan"
    record("user.update", user)
    db.session.commit()
    assert "password_hash" not in entries()[0].changes


def test_a_rolled_back_change_leaves_no_entry(make_product):
    product = make_product()
    db.session.commit()
    product.price = 1
    record("product.update", product)
    db.session.rollback()
    assert entries() == []


def test_saving_a_form_as_it_was_records_nothing(make_product):
    from storefront.catalog import operations

    product = make_product(name_vi="Tỏi Lý Sơn", price=120_000, stock=5, name_en="", summary_en=None)
    db.session.commit()
    operations.set_price_and_stock(product, 120_000, 5)
    operations.update_product(product, {"name_vi": "Tỏi Lý Sơn", "name_en": "", "summary_en": ""})
    operations.set_product_published(product, True)
    db.session.commit()
    assert entries() == []
    operations.set_price_and_stock(product, 125_000, 5)
    db.session.commit()
    [entry] = entries()
    assert entry.changes == {"price": [120_000, 125_000]}


def test_an_account_created_on_the_command_line_is_audited_as_the_command_line(app, make_producer):
    producer = make_producer(name="HTX Quế Trà Bồng")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["user", "create", "Lan@OCOP.vn", "--role", "producer", "--producer", producer.slug, "--name", "Lan"],
        input="một-mật-khẩu-dài\n")
    assert result.exit_code == 0, result.output
    [entry] = entries()
    assert (entry.action, entry.object_type, entry.object_label, entry.actor_label, entry.actor_id) == \
        ("user.create", "user", "Lan (lan@ocop.vn)", "command line", None)
    assert entry.changes["email"] == [None, "lan@ocop.vn"] and entry.changes["role"] == [None, "producer"]
    assert entry.changes["producer_id"] == [None, producer.id]
    assert "password_hash" not in entry.changes and "một-mật-khẩu-dài" not in str(entry.changes)
    # A refused account leaves no entry.
    assert app.test_cli_runner().invoke(args=["user", "create", "lan@ocop.vn"], input="một-mật-khẩu-dài\n") \
        .exit_code != 0
    assert len(entries()) == 1


def test_a_listing_edit_and_an_order_line_are_named_by_their_product(make_product):
    from storefront.catalog.models import EditStatus, ListingEdit

    product = make_product(name_vi="Quế Trà Bồng")
    edit = ListingEdit(product=product, status=EditStatus.PENDING, text={"summary_vi": "Mới"})
    record("listing_edit.propose", edit, changes={"summary_vi": ["", "Mới"]})
    db.session.commit()
    assert entries()[0].object_label == "Quế Trà Bồng"


def recorded_actions() -> set[str]:
    """Every action code the shop's code records: the literals next to record(…) or action=…, and the
    office's order actions (recorded as f"order.{action}")."""
    import re
    from pathlib import Path

    from admin.orders import ACTIONS as ORDER_ACTIONS

    root = Path(__file__).resolve().parents[2]
    found = set()
    for path in [*root.joinpath("storefront").rglob("*.py"), *root.joinpath("admin").rglob("*.py")]:
        if path.parts[-2] == "audit":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if "record(" in line or "action" in line:
                found.update(re.findall(r'"((?:product|producer|listing_edit|certificate|area|user|order|order_line'
                                        r'|sales_point)\.[a-z_]+)"', line))
    found -= {"product.id", "producer.id", "certificate.id", "area.id", "sales_point.id"}
    return found | {f"order.{action}" for action in ORDER_ACTIONS}


def test_every_action_the_code_records_has_a_name_in_both_languages(app):
    from flask_babel import force_locale

    from storefront.audit.labels import ACTIONS

    actions = recorded_actions()
    assert {"product.price_stock", "listing_edit.reject", "order.cancel", "user.create"} <= actions
    assert actions - set(ACTIONS) == set()
    with app.test_request_context():
        for code, name in ACTIONS.items():
            with force_locale("en"):
                english = str(name)
            with force_locale("vi"):
                assert str(name) != english, code


def test_every_column_of_an_audited_object_has_a_name_in_both_languages(app):
    from flask_babel import force_locale
    from sqlalchemy import inspect as inspect_model

    from storefront.areas.models import Area
    from storefront.audit.labels import FIELDS, OBJECT_TYPES
    from storefront.catalog.models import ListingEdit, Producer, Product
    from storefront.certification.models import Certificate
    from storefront.locator.models import SalesPoint
    from storefront.accounts.models import User

    for model in (Product, Producer, Certificate, ListingEdit, User, SalesPoint, Area):
        assert model.__name__.lower() in OBJECT_TYPES
        columns = {attribute.key for attribute in inspect_model(model).column_attrs}
        unnamed = columns - {"id", "password_hash"} - DERIVED_FIELDS - set(FIELDS)
        assert unnamed == set(), model.__name__
    with app.test_request_context():
        for code, name in FIELDS.items():
            with force_locale("en"):
                english = str(name)
            with force_locale("vi"):
                assert str(name) != english or english in {"Email", "Logo"}, code  # the same word in Vietnamese
