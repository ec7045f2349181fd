"""The transfers' states and mismatches in the reader's language."""
from flask_babel import lazy_gettext as _l

from .models import Mismatch, TransferState

STATE_NAMES = {
    TransferState.MATCHED: _l("Matched by itself"),
    TransferState.TO_RECONCILE: _l("To reconcile"),
    TransferState.MATCHED_BY_HAND: _l("Matched by hand"),
    TransferState.REFUNDED: _l("Sent back to the sender"),
    TransferState.IGNORED: _l("Not an order’s payment"),
}

MISMATCH_NAMES = {
    Mismatch.NO_ORDER: _l("No order number found in the description"),
    Mismatch.UNDERPAID: _l("Less than the order’s total"),
    Mismatch.OVERPAID: _l("More than the order’s total"),
    Mismatch.ALREADY_PAID: _l("The order was paid already"),
    Mismatch.ORDER_CLOSED: _l("The order was cancelled, expired or refunded"),
    Mismatch.NOT_A_TRANSFER: _l("The order is paid another way"),
    Mismatch.SEVERAL_ORDERS: _l("The description names several orders"),
}
