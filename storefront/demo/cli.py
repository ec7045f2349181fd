import time

import click
from flask.cli import AppGroup

from ..clock import today
from ..errors import DomainError
from ..extensions import db
from ..orders.operations import assort_sales_points_by_district
from ..reports.queries import province_figures
from .builder import build_catalogue
from .operations import CatalogueState, catalogue_state, refuse_unless_empty, stage_demo_catalogue

demo_cli = AppGroup("demo", help="The fictional demo catalogue.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True,
              help="Do nothing, silently, unless the catalogue is empty (what `make run` uses on every start).")
def load_command(if_empty):
    """Load a fictional catalogue of Quảng Ngãi's OCOP products that gives the province's figures today."""
    state = catalogue_state()
    if if_empty and state is not CatalogueState.EMPTY:
        return
    if state is CatalogueState.DEMO:
        click.echo("The demo catalogue is already loaded; nothing was changed.")
        return
    started = time.perf_counter()
    try:
        refuse_unless_empty()
        catalogue = build_catalogue(today())
        with click.progressbar(length=catalogue.steps, label="Loading the demo catalogue") as bar:
            stage_demo_catalogue(catalogue, bar.update)
        db.session.flush()
        assort_sales_points_by_district()  # so that pickup can be tried in the demo shop
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    except BaseException:
        db.session.rollback()
        raise
    figures = province_figures()
    stars = figures.certified_by_stars
    types = figures.producers_by_type
    funding = figures.sales_points_by_funding
    click.echo(
        f"Loaded the demo catalogue in {time.perf_counter() - started:.1f} s. As of {figures.as_of:%d/%m/%Y}: "
        f"{figures.certified_products} certified products ({stars[5]} 5★, {stars[4]} 4★, {stars[3]} 3★) in "
        f"{figures.former_districts_with_product} of {figures.former_districts} former districts, from "
        f"{figures.producers_with_certified_product} producers ({types['enterprise']} enterprises, "
        f"{types['cooperative']} cooperatives, {types['cooperative_group']} cooperative groups, "
        f"{types['household']} households); {figures.certified_sold_online} sold online; "
        f"{figures.sales_points} sales points ({funding['state_supported']} state-supported, "
        f"{funding['private']} private).")
