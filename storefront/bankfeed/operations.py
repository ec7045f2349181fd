"""Incoming transfers: recorded once each, matched to the VietQR order they pay, and the office's decisions
on those that could not be.

A transfer is recorded, holding its own lock, before anything else changes: a second delivery of it (a retry,
a replay, the same delivery to another worker at the same moment) finds it and changes nothing, and a twin
inserted at the very same moment fails on the unique (provider, id) so the caller answers "duplicate".

The order it names is locked, then moved by the state machine's conditional update: of a transfer and the
order's expiry at the same moment exactly one wins. A transfer that finds the order expired, cancelled,
already paid, or not for its amount is never dropped: it waits in the office's reconciliation list.
"""
import hashlib
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, text, update

from ..clock import utcnow
from ..errors import DomainError
from ..extensions import db
from ..orders import operations as orders
from ..orders import workflow
from ..orders.models import Order, OrderStatus, PaymentMethod
from ..payments.models import PaymentTransaction, TransactionKind, TransactionStatus
from .feeds import TransferFacts
from .matching import numbers_named
from .models import BankTransfer, Mismatch, TransferState

S = OrderStatus
#: What a payment record holds (an order's total is far below it).
LARGEST_PAYMENT = 2**31 - 1
# The order took this transfer's money already, or took a payment the office confirmed by hand.
ACCEPTED = workflow.ONLY_ACCEPTED - {S.REFUNDED}


@dataclass(frozen=True)
class Received:
    outcome: str  # "matched", "to_reconcile", "duplicate", "ignored"
    detail: str
    transfer_id: int | None = None
    order_number: str | None = None


def _hold(provider: str, provider_id: str) -> None:
    """PostgreSQL: wait for, then hold until this transaction ends, the lock of this one transaction id, so
    a twin delivery reads what the first one committed. SQLite lets one writer at a time anyway."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.blake2b(f"bank-transfer:{provider}:{provider_id}".encode(), digest_size=8).digest()
    db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                       {"key": int.from_bytes(digest, "big", signed=True)})


def receive(provider: str, facts: TransferFacts, payload: dict) -> Received:
    """Record one transaction a bank feed reported and pay the order it names when it can. Money going out,
    or into another account than the shop's, is not the shop's to record."""
    if not facts.incoming:
        return Received("ignored", "an outgoing transfer")
    if facts.account_number != current_app.config.get("VIETQR_ACCOUNT_NUMBER"):
        return Received("ignored", "a transfer into another account")
    _hold(provider, facts.provider_id)
    seen = db.session.scalar(select(BankTransfer).where(BankTransfer.provider == provider,
                                                        BankTransfer.provider_id == facts.provider_id))
    if seen is not None:
        return Received("duplicate", "this transfer is recorded already", seen.id,
                        seen.order.number if seen.order else None)
    transfer = BankTransfer(
        provider=provider, provider_id=facts.provider_id, account_number=facts.account_number, bank=facts.bank,
        amount=facts.amount, description=facts.description, bank_reference=facts.bank_reference,
        transferred_at=facts.transferred_at, state=TransferState.TO_RECONCILE, mismatch=Mismatch.NO_ORDER,
        payload=payload)
    db.session.add(transfer)
    db.session.flush()
    order, mismatch = _named_order(facts)
    if order is not None:
        _settle(transfer, order, actor=None)
    else:
        transfer.mismatch = mismatch
    db.session.flush()
    outcome = "matched" if transfer.state is TransferState.MATCHED else "to_reconcile"
    detail = "paid" if transfer.mismatch is None else transfer.mismatch.value
    return Received(outcome, detail, transfer.id, order.number if order is not None else None)


def _named_order(facts: TransferFacts) -> tuple[Order | None, Mismatch]:
    whole, beginnings = numbers_named(facts.payment_code, facts.description)
    if whole:
        found = db.session.scalars(select(Order).where(Order.number.in_(whole))).all()
        if len(found) > 1:
            return None, Mismatch.SEVERAL_ORDERS
        if found:
            return found[0], Mismatch.NO_ORDER
    for beginning in beginnings:  # the number cut short: the one order it can be
        found = db.session.scalars(select(Order).where(Order.number.startswith(beginning, autoescape=True))
                                   .limit(2)).all()
        if len(found) == 1:
            return found[0], Mismatch.NO_ORDER
    return None, Mismatch.NO_ORDER


def _locked(order: Order) -> Order:
    db.session.flush()
    return db.session.get(Order, order.id, with_for_update=True, populate_existing=True)


def _unlinked_confirmation(order: Order, amount: int) -> PaymentTransaction | None:
    """The office's "transfer received" of this order, made before the bank feed reported the transfer."""
    return db.session.scalar(select(PaymentTransaction).where(
        PaymentTransaction.order_id == order.id, PaymentTransaction.kind == TransactionKind.CHARGE,
        PaymentTransaction.method == PaymentMethod.VIETQR, PaymentTransaction.provider_reference.is_(None),
        PaymentTransaction.status == TransactionStatus.SUCCEEDED, PaymentTransaction.amount == amount).limit(1))


def _settle(transfer: BankTransfer, order: Order, actor, note: str = "", accept_amount: bool = False) -> None:
    """Pay `order` with `transfer`, or say why it cannot be (`transfer.mismatch`). `actor` is the office
    account matching it by hand (None: the feed), who may accept an amount that is not the total."""
    order = _locked(order)
    transfer.order_id = order.id
    by = actor.email if actor is not None else transfer.provider
    paid_state = TransferState.MATCHED if actor is None else TransferState.MATCHED_BY_HAND
    mismatch = None
    if order.payment_method is not PaymentMethod.VIETQR:
        mismatch = Mismatch.NOT_A_TRANSFER
    elif order.status is S.AWAITING_PAYMENT and (transfer.amount == order.total or accept_amount):
        try:
            orders.mark_paid(order, actor=actor, actor_label=by,
                             note=note or f"{transfer.provider} {transfer.provider_id}")
        except workflow.TransitionRefused:  # expired or cancelled at this very moment (order read again)
            mismatch = Mismatch.ORDER_CLOSED
        else:
            db.session.add(PaymentTransaction(
                order=order, method=PaymentMethod.VIETQR, kind=TransactionKind.CHARGE,
                status=TransactionStatus.SUCCEEDED, amount=transfer.amount, provider_reference=transfer.reference,
                actor_label=by, note=(note or transfer.bank_reference)[:500]))
    elif order.status is S.AWAITING_PAYMENT:
        mismatch = Mismatch.UNDERPAID if transfer.amount < order.total else Mismatch.OVERPAID
    elif order.status in ACCEPTED:
        confirmation = _unlinked_confirmation(order, transfer.amount)
        if confirmation is not None:
            confirmation.provider_reference = transfer.reference
        else:
            mismatch = Mismatch.ALREADY_PAID
    else:
        mismatch = Mismatch.ORDER_CLOSED
    transfer.mismatch = mismatch
    if mismatch is None:
        transfer.state = paid_state


# --- the office's decisions on a transfer waiting in the reconciliation list ---

def _refusal(mismatch: Mismatch, order: Order):
    if mismatch is Mismatch.NOT_A_TRANSFER:
        return _l("Order %(number)s is not paid by bank transfer.", number=order.number)
    if mismatch is Mismatch.ALREADY_PAID:
        return _l("Order %(number)s is paid already: send this money back to the sender instead.",
                  number=order.number)
    return _l("Order %(number)s is “%(status)s”: its products may have been sold since. Send this money back "
              "to the sender instead.", number=order.number, status=workflow.STATUS_NAMES[order.status])


def _take_for_decision(transfer: BankTransfer, state: TransferState, actor, note: str) -> None:
    """Move the transfer out of the list, once: of two decisions at the same moment the second is refused."""
    db.session.flush()
    moved = db.session.execute(
        update(BankTransfer).where(BankTransfer.id == transfer.id, BankTransfer.state == TransferState.TO_RECONCILE)
        .values(state=state, resolved_by=actor.email, resolved_at=utcnow(), note=note[:500]),
        execution_options={"synchronize_session": False})
    db.session.refresh(transfer)
    if moved.rowcount != 1:
        raise DomainError(_l("This transfer was dealt with meanwhile."))


def match_by_hand(transfer: BankTransfer, order_number: str, actor, note: str = "") -> Order:
    """The office says which order the transfer pays. An awaiting transfer order is paid by it (an amount
    other than its total only with a note saying why); an order the office confirmed by hand before is
    linked to it. Anything else is refused: the money goes back to the sender instead."""
    whole, _beginnings = numbers_named(order_number)
    order = db.session.scalar(select(Order).where(Order.number == whole[0])) if len(whole) == 1 else None
    if order is None:
        raise DomainError(_l("No order has the number %(number)s.", number=order_number.strip()[:20]))
    if transfer.amount > LARGEST_PAYMENT:
        raise DomainError(_l("This amount is far beyond any order: send it back to the sender."))
    if order.status is S.AWAITING_PAYMENT and transfer.amount != order.total and not note.strip():
        raise DomainError(_l("This transfer is not the order’s total: say in the note why you accept it."))
    _take_for_decision(transfer, TransferState.MATCHED_BY_HAND, actor, note)
    _settle(transfer, order, actor=actor, note=note, accept_amount=True)
    if transfer.mismatch is not None:
        raise DomainError(_refusal(transfer.mismatch, order))
    return order


def refund_to_sender(transfer: BankTransfer, actor, note: str) -> None:
    """The office sent the money back from the bank; the note says how (its reference)."""
    if not note.strip():
        raise DomainError(_l("Say in the note how the money went back (the bank’s reference)."))
    _take_for_decision(transfer, TransferState.REFUNDED, actor, note)


def ignore(transfer: BankTransfer, actor, note: str) -> None:
    """Not an order's payment (a test, a transfer between the office's own accounts); the note says why."""
    if not note.strip():
        raise DomainError(_l("Say in the note why this transfer is not an order’s payment."))
    _take_for_decision(transfer, TransferState.IGNORED, actor, note)
