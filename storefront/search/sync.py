"""The index follows the database: the products a transaction touched are reindexed after it
commits, never after a rollback."""
from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..catalog.models import Producer, Product
from ..certification.models import Certificate
from . import index

PENDING = "search_product_ids"


@event.listens_for(Session, "after_flush")
def _collect_touched_products(session, _flush_context):
    touched: set[int] = session.info.setdefault(PENDING, set())
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


@event.listens_for(Session, "after_commit")
def _reindex_committed(session):
    product_ids = session.info.pop(PENDING, None)
    if product_ids and has_app_context() and current_app.config.get("SEARCH_INDEX_DIR"):
        try:
            index.update_products(product_ids)
        except Exception:
            # The commit stands; the index catches up at the next rebuild.
            current_app.logger.exception("search index update failed for products %s", sorted(product_ids))


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session):
    session.info.pop(PENDING, None)
