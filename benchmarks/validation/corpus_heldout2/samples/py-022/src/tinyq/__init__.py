from .queue import Queue, enqueue_job, push

__all__ = ["Queue", "enqueue_job", "push"]
