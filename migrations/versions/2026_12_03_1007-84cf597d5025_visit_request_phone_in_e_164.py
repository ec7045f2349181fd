"""A visit request's phone in E.164 (+84…, or a number abroad)

Revision ID: 84cf597d5025
Revises: 52870799fd94
Create Date: 2026-12-03 10:07:29.524667

"""
from alembic import op


revision = '84cf597d5025'
down_revision = '52870799fd94'
branch_labels = None
depends_on = None


def upgrade():
    # Requests sent so far hold Vietnamese numbers in their national form (0905381246).
    op.execute("UPDATE visit_request SET phone = '+84' || substr(phone, 2) WHERE phone LIKE '0%'")
    with op.batch_alter_table('visit_request', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_visit_request_phone_in_e164'),
                                         "phone LIKE '+%' AND length(phone) BETWEEN 4 AND 16")


def downgrade():
    with op.batch_alter_table('visit_request', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_visit_request_phone_in_e164'), type_='check')
    op.execute("UPDATE visit_request SET phone = '0' || substr(phone, 4) WHERE phone LIKE '+84%'")
