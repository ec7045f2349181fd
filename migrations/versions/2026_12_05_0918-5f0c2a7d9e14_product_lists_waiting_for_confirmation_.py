"""Product lists waiting for the office's confirmation are kept in the database, not a node's folder

Revision ID: 5f0c2a7d9e14
Revises: 49620f53f6e3
Create Date: 2026-12-05 09:18:02.114311

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5f0c2a7d9e14'
down_revision = '49620f53f6e3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_upload',
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('size = length(data)', name=op.f('ck_import_upload_size_is_length')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_import_upload_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_import_upload'))
    )
    with op.batch_alter_table('import_upload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_upload_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_upload_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('import_upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_upload_user_id'))
        batch_op.drop_index(batch_op.f('ix_import_upload_created_at'))

    op.drop_table('import_upload')
