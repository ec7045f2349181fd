"""The audit log: each back-office change names who made it and each field's old and new value."""
from sqlalchemy import select

from storefront.accounts.models import Role
from storefront.audit.models import AuditEntry
from storefront.audit.operations import record
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
