"""S3-compatible object storage for uploads (settings.object_storages), with the same promise as
core.storage for folders: a file that cannot be written is a StorageFailed with a clear message,
never a server error. Imported only when DJANGO_S3_BUCKET is set (requirements-s3.txt)."""

from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage

from core.storage import StorageFailed, file_saved


class ObjectStorage(S3Storage):
    def _save(self, name, content):
        try:
            name = super()._save(name, content)
        except (BotoCoreError, ClientError) as error:
            raise StorageFailed.for_code("save_failed") from error
        file_saved(self, name)
        return name
