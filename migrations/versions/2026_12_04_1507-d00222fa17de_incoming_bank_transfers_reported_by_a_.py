"""Incoming bank transfers reported by a bank feed, and what became of each

Revision ID: d00222fa17de
Revises: 8c4d2f6a1b37
Create Date: 2026-12-04 15:07:07.753410

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd00222fa17de'
down_revision = '8c4d2f6a1b37'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bank_transfer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('provider_id', sa.String(length=100), nullable=False),
    sa.Column('account_number', sa.String(length=40), nullable=False),
    sa.Column('bank', sa.String(length=100), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('description', sa.String(length=1000), nullable=False),
    sa.Column('bank_reference', sa.String(length=100), nullable=False),
    sa.Column('transferred_at', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('state', sa.Enum('matched', 'to_reconcile', 'matched_by_hand', 'refunded', 'ignored', name='transferstate', native_enum=False, length=20), nullable=False),
    sa.Column('mismatch', sa.Enum('no_order', 'underpaid', 'overpaid', 'already_paid', 'order_closed', 'not_a_transfer', 'several_orders', name='mismatch', native_enum=False, length=20), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('resolved_by', sa.String(length=254), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_bank_transfer_amount_positive')),
    sa.ForeignKeyConstraint(['order_id'], ['customer_order.id'], name=op.f('fk_bank_transfer_order_id_customer_order'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_transfer')),
    sa.UniqueConstraint('provider', 'provider_id', name='uq_bank_transfer_provider_id')
    )
    with op.batch_alter_table('bank_transfer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_transfer_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_bank_transfer_state_transferred_at', ['state', 'transferred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_transfer_transferred_at'), ['transferred_at'], unique=False)



def downgrade():
    with op.batch_alter_table('bank_transfer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_transfer_transferred_at'))
        batch_op.drop_index('ix_bank_transfer_state_transferred_at')
        batch_op.drop_index(batch_op.f('ix_bank_transfer_order_id'))

    op.drop_table('bank_transfer')
