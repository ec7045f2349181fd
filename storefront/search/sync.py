"""The index follows the database: each transaction names the products it touched in the content change
log it commits (changelog.py); after the commit, this process brings its own node's index up to date
at once when it can, and every node's follower (follow.py) does the same for changes made elsewhere."""
from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy import event
from sqlalchemy.orm import Session

from .. import changelog
from ..catalog.models import Producer, Product
from ..certification.models import Certificate
from . import follow


@event.listens_for(Session, "after_flush")
def _collect_touched_products(session, _flush_context):
    touched: set[int] = set()
    producer_ids = set()
    for obj in session.new | session.dirty | session.deleted:
        if isinstance(obj, Product) and obj.id is not None:
            touched.add(obj.id)
        elif isinstance(obj, Certificate) and obj.product_id is not None:
            touched.add(obj.product_id)
        elif isinstance(obj, Producer) and obj.id is not None:
            producer_ids.add(obj.id)
    if producer_ids:
        touched.update(session.connection().scalars(
            select(Product.id).where(Product.producer_id.in_(producer_ids))))
    if touched:
        changelog.note_products(session, touched)


@changelog.on_committed
def _reindex_committed(product_ids):
    if product_ids and has_app_context() and current_app.config.get("SEARCH_INDEX_DIR"):
        follow.after_commit(product_ids)
