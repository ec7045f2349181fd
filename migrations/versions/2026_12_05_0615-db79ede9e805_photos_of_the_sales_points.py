"""Photos of the sales points, in the office's order, each with its description in both languages

Revision ID: db79ede9e805
Revises: d00222fa17de
Create Date: 2026-12-05 06:15:26.846159

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'db79ede9e805'
down_revision = 'd00222fa17de'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sales_point_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sales_point_id', sa.Integer(), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('alt_vi', sa.String(length=300), nullable=False),
    sa.Column('alt_en', sa.String(length=300), nullable=True),
    sa.CheckConstraint('position >= 0', name=op.f('ck_sales_point_photo_position_not_negative')),
    sa.ForeignKeyConstraint(['image_id'], ['media_image.id'], name=op.f('fk_sales_point_photo_image_id_media_image')),
    sa.ForeignKeyConstraint(['sales_point_id'], ['sales_point.id'], name=op.f('fk_sales_point_photo_sales_point_id_sales_point'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_point_photo')),
    sa.UniqueConstraint('sales_point_id', 'image_id', name=op.f('uq_sales_point_photo_sales_point_id'))
    )
    with op.batch_alter_table('sales_point_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_point_photo_image_id'), ['image_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_point_photo_sales_point_id'), ['sales_point_id'], unique=False)



def downgrade():
    with op.batch_alter_table('sales_point_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_point_photo_sales_point_id'))
        batch_op.drop_index(batch_op.f('ix_sales_point_photo_image_id'))

    op.drop_table('sales_point_photo')
