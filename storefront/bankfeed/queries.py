"""The office's views of the transfers: the reconciliation list and the statement, day by day."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..clock import LOCAL_TZ, local_date
from ..extensions import db
from .models import BankTransfer, TransferState

TRANSFERS_PER_PAGE = 50
#: The longest statement shown or exported at once.
LONGEST_STATEMENT_DAYS = 366
# Matched by the feed or by the office: money the shop kept for an order.
MATCHED = frozenset({TransferState.MATCHED, TransferState.MATCHED_BY_HAND})


def to_reconcile_count() -> int:
    return db.session.scalar(select(func.count()).select_from(BankTransfer)
                             .where(BankTransfer.state == TransferState.TO_RECONCILE))


def transfers(state: TransferState | None, page: int) -> tuple[list[BankTransfer], int]:
    """Newest first; the page asked for and how many there are in all."""
    query = select(BankTransfer)
    if state is not None:
        query = query.where(BankTransfer.state == state)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    found = db.session.scalars(query.options(selectinload(BankTransfer.order))
                               .order_by(BankTransfer.transferred_at.desc(), BankTransfer.id.desc())
                               .offset((page - 1) * TRANSFERS_PER_PAGE).limit(TRANSFERS_PER_PAGE)).all()
    return found, total


def transfers_of_order(order_id: int) -> list[BankTransfer]:
    return db.session.scalars(select(BankTransfer).where(BankTransfer.order_id == order_id)
                              .order_by(BankTransfer.id)).all()


def waiting_transfers_of(order) -> list[BankTransfer]:
    """Transfers that name the order and wait for the office (an amount that is not its total, most often)."""
    return db.session.scalars(select(BankTransfer).where(
        BankTransfer.order_id == order.id, BankTransfer.state == TransferState.TO_RECONCILE)
        .order_by(BankTransfer.id)).all()


def _utc_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ).astimezone(timezone.utc).replace(tzinfo=None)


def transfers_between(since: date, until: date) -> list[BankTransfer]:
    """Every transfer the bank booked from `since` to `until` (Quảng Ngãi days, both included), oldest first."""
    return db.session.scalars(select(BankTransfer).options(selectinload(BankTransfer.order)).where(
        BankTransfer.transferred_at >= _utc_start(since),
        BankTransfer.transferred_at < _utc_start(until + timedelta(days=1)))
        .order_by(BankTransfer.transferred_at, BankTransfer.id)).all()


@dataclass
class Tally:
    count: int = 0
    amount: int = 0

    def add(self, transfer: BankTransfer) -> None:
        self.count += 1
        self.amount += transfer.amount


@dataclass
class StatementDay:
    day: date
    received: Tally = field(default_factory=Tally)
    matched: Tally = field(default_factory=Tally)
    to_reconcile: Tally = field(default_factory=Tally)
    refunded: Tally = field(default_factory=Tally)
    ignored: Tally = field(default_factory=Tally)


def statement(found: list[BankTransfer]) -> tuple[list[StatementDay], StatementDay]:
    """The transfers' totals per day the bank booked them (newest day first), and over all of them."""
    days: dict[date, StatementDay] = {}
    overall = StatementDay(day=None)
    for transfer in found:
        for row in (days.setdefault(local_date(transfer.transferred_at), StatementDay(
                local_date(transfer.transferred_at))), overall):
            row.received.add(transfer)
            if transfer.state in MATCHED:
                row.matched.add(transfer)
            elif transfer.state is TransferState.TO_RECONCILE:
                row.to_reconcile.add(transfer)
            elif transfer.state is TransferState.REFUNDED:
                row.refunded.add(transfer)
            else:
                row.ignored.add(transfer)
    return sorted(days.values(), key=lambda row: row.day, reverse=True), overall
