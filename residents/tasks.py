"""Background work of the registry: the clean-up of uploaded files whose preview was never confirmed."""

from django_tasks import task


@task()
def purge_import_files() -> int:
    """Delete uploads older than IMPORT_UPLOAD_LIFETIME; queued by each clean preview for when it expires."""
    from .services.importing import IMPORT_UPLOAD_LIFETIME, purge_import_uploads  # importing queues this task

    return purge_import_uploads(older_than=IMPORT_UPLOAD_LIFETIME)
