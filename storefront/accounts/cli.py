import sys

import click
from flask.cli import AppGroup

from ..audit.operations import created_values, from_command_line, record
from ..errors import DomainError
from ..extensions import db
from .models import Role
from . import second_factor
from .operations import create_user, find_user


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


@user_cli.command("reset-second-factor")
@click.argument("email")
def reset_second_factor_command(email):
    """Remove an account's second factor and recovery codes (a lost phone) and end its sessions: it sets a
    new one up at its next sign-in. For the first administrator; others ask an administrator at
    /admin/second-factors."""
    user = find_user(email)
    try:
        if user is None:
            raise DomainError(f"No account has the address {email!r}.")
        second_factor.reset(user, actor=None)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"The second factor of {user.email} is reset; it sets up a new one at its next sign-in.")
