"""Certificate numbers matched however they are typed (a normalised key, unique per authority); the level,
stars and dates rules as CHECK constraints; an optional English revocation reason

Revision ID: 52870799fd94
Revises: b5a8bae5e612
Create Date: 2026-12-03 10:06:04.808787

Existing certificates are checked before anything changes: two numbers of one authority that differ only
by case, spaces or dashes, or a certificate that breaks a rule (5★ not at the central level, 4★ at a
district, a district decision after 30 June 2025, validity ending before the decision), stop the upgrade
with the list of certificates to correct.
"""
import unicodedata
from datetime import date

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '52870799fd94'
down_revision = 'b5a8bae5e612'
branch_labels = None
depends_on = None

# As storefront.certification.numbers.certificate_key and storefront.certification.rules on the day of this
# migration, copied so that the migration never changes with them.
DASHES = (
    "\u002d\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u2e5d"
    "\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\U00010ead"
    "\u2212\u2043\u02d7\u2796\u207b\u208b"
)
DASH_TABLE = str.maketrans({dash: "-" for dash in DASHES})
INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"})
LEVEL_STARS = {"central": (5,), "province": (3, 4), "district": (3,)}
DISTRICTS_CERTIFIED_UNTIL = date(2025, 6, 30)
LEVEL_MATCHES_STARS = ("(level = 'central' AND stars = 5) OR (level = 'province' AND stars IN (3, 4))"
                       " OR (level = 'district' AND stars = 3 AND decision_date <= '2025-06-30')")
VALID_AFTER_DECISION = "valid_until >= decision_date"


def certificate_key(text):
    key = str(text or "")
    for _round in range(8):
        previous = key
        decomposed = unicodedata.normalize("NFKD", key).casefold().translate(DASH_TABLE)
        key = unicodedata.normalize("NFKC", "".join(ch for ch in decomposed
                                                    if not ch.isspace() and unicodedata.category(ch) not in INVISIBLE))
        if key == previous:
            break
    return key


def _as_date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def _problems(rows) -> list[str]:
    problems, seen = [], {}
    for row in rows:
        label = f"#{row.id} {row.number!r} ({row.authority})"
        key = certificate_key(row.number)
        if not key:
            problems.append(f"{label}: the number is empty once spaces and invisible characters are removed")
        elif (row.authority, key) in seen:
            problems.append(f"{label}: the same number as #{seen[row.authority, key]} once case, spaces and "
                            f"dashes are ignored")
        else:
            seen[row.authority, key] = row.id
        decided, until = _as_date(row.decision_date), _as_date(row.valid_until)
        if row.stars not in LEVEL_STARS.get(row.level, ()):
            problems.append(f"{label}: {row.stars} stars cannot be certified at the {row.level} level")
        if row.level == "district" and decided > DISTRICTS_CERTIFIED_UNTIL:
            problems.append(f"{label}: a district decision after 30/06/2025")
        if until < decided:
            problems.append(f"{label}: valid until {until} is before its decision of {decided}")
    return problems


def upgrade():
    connection = op.get_bind()
    certificate = sa.table('certificate', sa.column('id', sa.Integer), sa.column('number', sa.String),
                           sa.column('number_key', sa.String), sa.column('authority', sa.String),
                           sa.column('level', sa.String), sa.column('stars', sa.Integer),
                           sa.column('decision_date', sa.Date), sa.column('valid_until', sa.Date))
    rows = connection.execute(sa.select(certificate.c.id, certificate.c.number, certificate.c.authority,
                                        certificate.c.level, certificate.c.stars, certificate.c.decision_date,
                                        certificate.c.valid_until).order_by(certificate.c.id)).all()
    # Nothing is changed before every existing certificate is known to comply.
    problems = _problems(rows)
    if problems:
        shown = "\n  ".join(problems[:100])
        more = f"\n  … and {len(problems) - 100} more" if len(problems) > 100 else ""
        raise RuntimeError(f"{len(problems)} certificate(s) break the certificate rules; correct them (or revoke "
                           f"them and issue a consistent one), then upgrade again:\n  {shown}{more}")

    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number_key', sa.String(length=240), nullable=True))
        batch_op.add_column(sa.Column('revocation_reason_en', sa.Text(), nullable=True))
    for row in rows:
        connection.execute(certificate.update().where(certificate.c.id == row.id)
                           .values(number_key=certificate_key(row.number)))
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.alter_column('number_key', existing_type=sa.String(length=240), nullable=False)
        batch_op.drop_constraint('uq_certificate_authority_number', type_='unique')
        batch_op.create_index(batch_op.f('ix_certificate_number_key'), ['number_key'], unique=False)
        batch_op.create_unique_constraint('uq_certificate_authority_number_key', ['authority', 'number_key'])
        batch_op.create_check_constraint(op.f('ck_certificate_level_matches_stars'), LEVEL_MATCHES_STARS)
        batch_op.create_check_constraint(op.f('ck_certificate_valid_after_decision'), VALID_AFTER_DECISION)


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_certificate_valid_after_decision'), type_='check')
        batch_op.drop_constraint(op.f('ck_certificate_level_matches_stars'), type_='check')
        batch_op.drop_constraint('uq_certificate_authority_number_key', type_='unique')
        batch_op.drop_index(batch_op.f('ix_certificate_number_key'))
        batch_op.create_unique_constraint('uq_certificate_authority_number', ['authority', 'number'])
        batch_op.drop_column('revocation_reason_en')
        batch_op.drop_column('number_key')
