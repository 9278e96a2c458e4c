"""provider settings

Revision ID: 0004_provider_settings
Revises: 0003_workflows
Create Date: 2026-11-27 02:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from claude_tui.storage.types import UTCDateTime

revision: str = "0004_provider_settings"
down_revision: str | None = "0003_workflows"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "provider_settings",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=True),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("base_url", sa.String(length=1024), nullable=True),
        sa.Column("api_key_encrypted", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_provider_settings_single_row")),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["users.id"],
            name=op.f("fk_provider_settings_updated_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_settings")),
    )


def downgrade() -> None:
    op.drop_table("provider_settings")
