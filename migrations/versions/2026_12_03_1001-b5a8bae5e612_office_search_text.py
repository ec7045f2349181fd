"""Folded names of products and producers, for the office's accent-insensitive search

Revision ID: b5a8bae5e612
Revises: e52dd0b30987
Create Date: 2026-12-03 10:01:54.020500

"""
from alembic import op
import sqlalchemy as sa

from storefront.text import search_key


revision = 'b5a8bae5e612'
down_revision = 'e52dd0b30987'
branch_labels = None
depends_on = None

# The columns each search text is made of, in order (as catalog.models.SEARCHED_FIELDS says).
SOURCES = {"producer": ("name", "slug"), "product": ("name_vi", "name_en", "slug")}


def _fill(table_name: str) -> None:
    fields = SOURCES[table_name]
    table = sa.table(table_name, sa.column("id"), sa.column("search_text"), *(sa.column(name) for name in fields))
    connection = op.get_bind()
    rows = connection.execute(sa.select(table.c.id, *(table.c[name] for name in fields))).all()
    for row in rows:
        text = "\n".join(search_key(value) for value in row[1:] if value)
        connection.execute(table.update().where(table.c.id == row[0]).values(search_text=text))


def upgrade():
    with op.batch_alter_table('producer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.String(length=400), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_producer_search_text'), ['search_text'], unique=False)

    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.String(length=600), server_default='', nullable=False))
        batch_op.create_index('ix_product_search_text', ['search_text'], unique=False)

    _fill("producer")
    _fill("product")


def downgrade():
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_index('ix_product_search_text')
        batch_op.drop_column('search_text')

    with op.batch_alter_table('producer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_producer_search_text'))
        batch_op.drop_column('search_text')
