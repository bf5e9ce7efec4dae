from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage():
    """Storage for files outside MEDIA_ROOT with no public URL (restricted attachments, drawn
    signatures), served only through views that check who is asking. A callable, so that
    migrations record the function and not one machine's folder."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
