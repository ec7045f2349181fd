"""Media files kept in the database, so that every app node serves them (MEDIA_STORE=postgresql)

Revision ID: 49620f53f6e3
Revises: 740688f76f29
Create Date: 2026-12-05 09:17:16.360584

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '49620f53f6e3'
down_revision = '740688f76f29'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('media_blob',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('stored_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('size = length(data)', name=op.f('ck_media_blob_size_is_length')),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_media_blob'))
    )


def downgrade():
    op.drop_table('media_blob')
