"""query indexes

Indexes for the queries the API issues: the ``created_at`` sorts of project, task and report
lists (creation time never changes, so these indexes cost updates nothing), and the foreign
keys that had none, which deleting a user or a task otherwise answers with a full scan of the
referring table (ON DELETE SET NULL / CASCADE).

Revision ID: 0005_query_indexes
Revises: 0004_provider_settings
Create Date: 2026-11-27 03:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_query_indexes"
down_revision: str | None = "0004_provider_settings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: list[tuple[str, str, list[str]]] = [
    ("ix_projects_created_at_id", "projects", ["created_at", "id"]),
    ("ix_projects_created_by", "projects", ["created_by"]),
    ("ix_tasks_project_id_created_at_id", "tasks", ["project_id", "created_at", "id"]),
    ("ix_tasks_created_at_id", "tasks", ["created_at", "id"]),
    ("ix_tasks_created_by", "tasks", ["created_by"]),
    ("ix_workflows_created_by", "workflows", ["created_by"]),
    (
        "ix_validation_reports_project_id_created_at_id",
        "validation_reports",
        ["project_id", "created_at", "id"],
    ),
    ("ix_validation_reports_task_id", "validation_reports", ["task_id"]),
    ("ix_validation_reports_created_by", "validation_reports", ["created_by"]),
    ("ix_revoked_access_tokens_user_id", "revoked_access_tokens", ["user_id"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
