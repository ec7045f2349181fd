"""The content change log replaces the content version row

Every transaction that changes public content writes one row (naming the products whose search
documents changed): each node's search index follows it, and the page cache counts it.

Revision ID: 3465fdb153f3
Revises: 5f0c2a7d9e14
Create Date: 2026-12-05 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3465fdb153f3'
down_revision = '5f0c2a7d9e14'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('content_change',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('product_ids', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_change'))
    )
    with op.batch_alter_table('content_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_change_created_at'), ['created_at'], unique=False)
    pruning = op.create_table('content_change_pruning',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pruned_rows', sa.BigInteger(), nullable=False),
    sa.Column('pruned_through', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_change_pruning'))
    )
    op.bulk_insert(pruning, [{'id': 1, 'pruned_rows': 0, 'pruned_through': 0}])
    # Each node's index has no position in the new log: its follower rebuilds it once.
    op.drop_table('content_version')


def downgrade():
    content_version = op.create_table('content_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_version'))
    )
    op.bulk_insert(content_version, [{'id': 1, 'version': 0}])
    op.drop_table('content_change_pruning')
    with op.batch_alter_table('content_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_change_created_at'))
    op.drop_table('content_change')
