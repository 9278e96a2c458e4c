"""The task queue: taskiq in memory in the embedded mode, Redis streams when Redis is set."""

from claude_tui.queue.broker import EXECUTE_TASK, create_broker

__all__ = ["EXECUTE_TASK", "create_broker"]
