"""Products the province nominated for the central 5★ evaluation

Revision ID: e52dd0b30987
Revises: 1120d544e2e8
Create Date: 2026-11-22 12:36:32.997171

"""
from alembic import op
import sqlalchemy as sa


revision = 'e52dd0b30987'
down_revision = '1120d544e2e8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('five_star_nominated_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_column('five_star_nominated_on')
