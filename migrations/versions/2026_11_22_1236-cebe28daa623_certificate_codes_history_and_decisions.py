"""Certificate verification codes, history and decision documents

Revision ID: cebe28daa623
Revises: b5d3ee676d12
Create Date: 2026-11-22 12:36:01.731366

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cebe28daa623'
down_revision = 'b5d3ee676d12'
branch_labels = None
depends_on = None

# As storefront.certification.models.new_verification_code, copied so the migration never changes with it.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def upgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verification_code', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('replaces_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decision_pdf_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('decision_image_id', sa.Integer(), nullable=True))

    # Every existing certificate gets its code, so each one already on packaging can be verified.
    connection = op.get_bind()
    certificate = sa.table('certificate', sa.column('id', sa.Integer), sa.column('verification_code', sa.String))
    ids = connection.execute(sa.select(certificate.c.id).where(certificate.c.verification_code.is_(None))).scalars()
    used = set()
    for certificate_id in list(ids):
        code = None
        while code is None or code in used:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        used.add(code)
        connection.execute(certificate.update().where(certificate.c.id == certificate_id)
                           .values(verification_code=code))

    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.alter_column('verification_code', existing_type=sa.String(length=16), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_certificate_verification_code'), ['verification_code'])
        batch_op.create_foreign_key(batch_op.f('fk_certificate_replaces_id_certificate'), 'certificate', ['replaces_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_certificate_decision_image_id_media_image'), 'media_image', ['decision_image_id'], ['id'])


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_certificate_decision_image_id_media_image'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_certificate_replaces_id_certificate'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_certificate_verification_code'), type_='unique')
        batch_op.drop_column('decision_image_id')
        batch_op.drop_column('decision_pdf_key')
        batch_op.drop_column('replaces_id')
        batch_op.drop_column('verification_code')
