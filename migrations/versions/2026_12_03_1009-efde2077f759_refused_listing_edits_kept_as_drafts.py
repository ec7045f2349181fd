"""A refused listing edit stays the producer's draft until it is sent again or discarded

Revision ID: efde2077f759
Revises: 84cf597d5025
Create Date: 2026-12-03 10:09:12.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'efde2077f759'
down_revision = '84cf597d5025'
branch_labels = None
depends_on = None


def upgrade():
    # Edits refused before this keep NULL: each product's latest refusal becomes its producer's draft again.
    with op.batch_alter_table('listing_edit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('listing_edit', schema=None) as batch_op:
        batch_op.drop_column('closed_at')
