"""The OCOP office's bank transfers: the reconciliation list (what the bank feed could not match by itself),
one transfer and the decisions it allows, and the statement, day by day, to tick off against the bank's."""
from datetime import date, timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from storefront.audit.operations import record
from storefront.bankfeed import operations as transfers_ops
from storefront.bankfeed import queries
from storefront.bankfeed.feeds import FEEDS
from storefront.bankfeed.labels import MISMATCH_NAMES, STATE_NAMES
from storefront.bankfeed.models import BankTransfer, TransferState
from storefront.clock import to_local, today
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.orders.forms import OrderActionForm, has_control_characters
from storefront.reports.export import CONTENT_TYPES, Sheet, to_csv

from .navigation import add, admin_nav
from .paging import page_argument
from .views import bp

add(admin_nav, "admin.bank_transfers", _l("Bank transfers"), 21)

ACTIONS = {"match": "bank_transfer.match", "refund": "bank_transfer.refund", "ignore": "bank_transfer.ignore"}
STATEMENT_DAYS = 30


@bp.route("/admin/transfers")
def bank_transfers():
    """The reconciliation list by default; any state, or all of them, on request."""
    raw = request.args.get("state", TransferState.TO_RECONCILE.value)
    try:
        state = None if raw == "all" else TransferState(raw)
    except ValueError:
        abort(400)
    page = page_argument()
    found, total = queries.transfers(state, page)
    return render_template("admin/bank_transfers/list.html", transfers=found, total=total, state=state, page=page,
                           pages=max(1, -(-total // queries.TRANSFERS_PER_PAGE)), states=list(TransferState),
                           state_names=STATE_NAMES, mismatch_names=MISMATCH_NAMES, feeds=FEEDS)


def _transfer(transfer_id: int) -> BankTransfer:
    transfer = db.session.get(BankTransfer, transfer_id)
    if transfer is None:
        abort(404)
    return transfer


@bp.route("/admin/transfers/<int:transfer_id>")
def bank_transfer(transfer_id):
    transfer = _transfer(transfer_id)
    return render_template("admin/bank_transfers/detail.html", transfer=transfer, form=OrderActionForm(),
                           state_names=STATE_NAMES, mismatch_names=MISMATCH_NAMES, feeds=FEEDS,
                           suggested=request.args.get("order", "")[:20])


@bp.route("/admin/transfers/<int:transfer_id>/<action>", methods=["POST"])
def bank_transfer_action(transfer_id, action):
    if action not in ACTIONS:
        abort(404)
    transfer = _transfer(transfer_id)
    if not OrderActionForm().validate_on_submit():
        abort(400)
    note = request.form.get("note", "").strip()[:500]
    number = request.form.get("order", "").strip()[:40]
    here = url_for("admin.bank_transfer", transfer_id=transfer.id)
    if has_control_characters(note) or has_control_characters(number):
        flash(_("Remove the unusual characters from the form."), "error")
        return redirect(here, 303)
    before = transfer.state
    actor = current_user._get_current_object()
    try:
        if action == "match":
            order = transfers_ops.match_by_hand(transfer, number, actor, note)
        elif action == "refund":
            transfers_ops.refund_to_sender(transfer, actor, note)
        else:
            transfers_ops.ignore(transfer, actor, note)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(here + (f"?order={number}" if number else ""), 303)
    changes = {"state": [before.value, transfer.state.value]}
    if action == "match":
        changes["order_id"] = [None, order.id]
    record(ACTIONS[action], transfer, changes=changes, note=note)
    if action == "match":
        flash(_("The transfer pays order %(number)s.", number=order.number), "success")
    else:
        flash(_("The transfer is now “%(state)s”.", state=STATE_NAMES[transfer.state]), "success")
    return redirect(url_for("admin.bank_transfers"), 303)


def _day(name: str, default: date) -> date:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400, description=_("Dates are written as year-month-day, like 2026-12-04."))


def _period() -> tuple[date, date]:
    until = _day("until", today())
    since = _day("since", until - timedelta(days=STATEMENT_DAYS - 1))
    if since > until:
        abort(400, description=_("The first day comes after the last one."))
    if (until - since).days >= queries.LONGEST_STATEMENT_DAYS:
        abort(400, description=_("A statement covers at most %(days)s days.", days=queries.LONGEST_STATEMENT_DAYS))
    return since, until


@bp.route("/admin/transfers/statement")
def bank_statement():
    since, until = _period()
    days, overall = queries.statement(queries.transfers_between(since, until))
    return render_template("admin/bank_transfers/statement.html", days=days, overall=overall, since=since,
                           until=until)


@bp.route("/admin/transfers/statement.csv")
def bank_statement_export():
    """Every transfer of the period, one per line, as the bank's statement lists them."""
    since, until = _period()
    rows = [[_("Day"), _("Time (Quảng Ngãi)"), _("Bank"), _("Bank reference"), _("Account"), _("Amount (đồng)"),
             _("Description"), _("State"), _("Why not matched"), _("Order"), _("Decided by"), _("Note"),
             _("Service"), _("Service id")]]
    for transfer in queries.transfers_between(since, until):
        local = to_local(transfer.transferred_at)
        rows.append([local.date(), local.strftime("%H:%M:%S"), transfer.bank, transfer.bank_reference,
                     transfer.account_number, transfer.amount, transfer.description, str(STATE_NAMES[transfer.state]),
                     str(MISMATCH_NAMES[transfer.mismatch]) if transfer.mismatch else "",
                     transfer.order.number if transfer.order else "", transfer.resolved_by or "", transfer.note,
                     FEEDS[transfer.provider].label if transfer.provider in FEEDS else transfer.provider,
                     transfer.provider_id])
    filename = f"bank-transfers-{since:%Y%m%d}-{until:%Y%m%d}.csv"
    return Response(to_csv([Sheet(_("Bank transfers"), rows)]), content_type=CONTENT_TYPES["csv"],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
