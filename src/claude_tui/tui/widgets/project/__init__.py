"""The project screen's tabs, one widget each."""

from claude_tui.tui.widgets.project.audit import AuditTab
from claude_tui.tui.widgets.project.files import FilesTab
from claude_tui.tui.widgets.project.tasks import TasksTab
from claude_tui.tui.widgets.project.validation import ValidationTab

__all__ = ["AuditTab", "FilesTab", "TasksTab", "ValidationTab"]
