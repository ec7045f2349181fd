"""Orders record their delivery zone and estimated delivery window

Revision ID: 740688f76f29
Revises: db79ede9e805
Create Date: 2026-12-05 06:17:32.229374

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '740688f76f29'
down_revision = 'db79ede9e805'
branch_labels = None
depends_on = None


def upgrade():
    # Orders placed before stay as they were: no zone, no window (their pages show the fee alone).
    with op.batch_alter_table('customer_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivery_zone', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('delivery_earliest', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('delivery_latest', sa.Date(), nullable=True))
        batch_op.create_check_constraint(
            'delivery_zone_known',
            "delivery_zone IS NULL OR delivery_zone IN ('home', 'neighbour', 'country', 'island')")
        batch_op.create_check_constraint(
            'delivery_window_in_order',
            "(delivery_earliest IS NULL) = (delivery_latest IS NULL) "
            "AND (delivery_earliest IS NULL OR delivery_latest >= delivery_earliest)")


def downgrade():
    with op.batch_alter_table('customer_order', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_customer_order_delivery_window_in_order'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_customer_order_delivery_zone_known'), type_='check')
        batch_op.drop_column('delivery_latest')
        batch_op.drop_column('delivery_earliest')
        batch_op.drop_column('delivery_zone')
