"""`flask user create`: passwords from a prompt or standard input, roles checked, hashes stored."""
from sqlalchemy import select

from storefront.accounts.models import Role, User
from storefront.extensions import db


def run(app, *args, password="một-mật-khẩu-dài"):
    return app.test_cli_runner().invoke(args=["user", "create", *args], input=password + "\n")


def test_an_admin_is_created_with_a_hashed_password(app):
    result = run(app, "Admin@OCOP.vn", "--role", "admin")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.email == "admin@ocop.vn" and user.role == Role.ADMIN
    assert "một-mật-khẩu-dài" not in user.password_hash
    assert user.check_password("một-mật-khẩu-dài") and not user.check_password("wrong")


def test_a_producer_account_is_tied_to_its_producer(app, make_producer):
    producer = make_producer()
    db.session.commit()
    result = run(app, "htx@example.vn", "--role", "producer", "--producer", producer.slug)
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User)).producer_id == producer.id


def test_mistakes_are_refused_with_a_message_and_nothing_is_created(app, make_producer):
    make_producer()
    db.session.commit()
    cases = [
        (("not-an-email", "--role", "admin"), "not an email"),
        (("a@b.vn", "--role", "producer"), "needs --producer"),
        (("a@b.vn", "--role", "producer", "--producer", "nobody"), "No producer"),
        (("a@b.vn", "--role", "admin", "--producer", "x"), "Only a producer"),
        (("a@b.vn", "--role", "emperor"), "Invalid value"),
    ]
    for args, message in cases:
        result = run(app, *args)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    assert run(app, "a@b.vn", password="short").exit_code != 0
    assert db.session.scalars(select(User)).all() == []


def test_an_email_is_used_once(app):
    assert run(app, "a@b.vn").exit_code == 0
    result = run(app, "A@b.vn")
    assert result.exit_code != 0 and "already exists" in result.output
