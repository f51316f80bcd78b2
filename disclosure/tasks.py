"""Background work of the board: the publication of the 10th, queued when an item is scheduled."""

from django.utils import timezone
from django_tasks import task


@task()
def publish_due_items() -> int:
    """Publish whatever is due today; queued for 00:05 of each board day, so it runs without cron."""
    from .services.items import publish_due  # services queue this task: import at run time, not at load

    return len(publish_due(today=timezone.localdate()))
