import sys

import click
from flask.cli import AppGroup

from ..audit.operations import created_values, from_command_line, record
from ..errors import DomainError
from ..extensions import db
from .models import Role
from .operations import create_user


@click.group("user", cls=AppGroup, help="Manage accounts.")
def user_cli():
    # Every account command is audited, with "command line" as the one who acted.
    from_command_line()


@user_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.CUSTOMER.value,
              show_default=True)
@click.option("--producer", "producer_slug", help="The producer a producer account acts for.")
@click.option("--name", default="", help="The person's name.")
def create_user_command(email, role, producer_slug, name):
    """Create an account; the password is asked for, or read from standard input."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = create_user(email, password, Role(role), producer_slug, name)
        record("user.create", user, changes=created_values(user))
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.role} account {user.email}.")
