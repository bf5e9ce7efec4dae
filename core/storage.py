"""Where uploaded files go, and what happens when the disk says no.

Both storages (media, the default in settings.STORAGES, and `private_storage`) are
SafeFileSystemStorage: a file is written under a temporary name in its folder, flushed to disk,
and only then given its real name, so a full disk or a read-only volume never leaves a 0-byte or
half-written file under a name a row could point to. Any OSError on saving becomes StorageFailed,
a DomainError: public views show its message like any broken rule, and admins that use
StorageFailureAdminMixin show it as a form error after rolling the whole save back."""

import contextlib
import contextvars
import mimetypes
import os
import tempfile
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils._os import safe_makedirs
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


class StorageFailed(DomainError):
    """A file could not be written (disk full, read-only or missing volume, permissions)."""

    error_messages = {
        "save_failed": _("The file could not be saved. Please try again later or contact the administrator."),
    }


# The files saved while a `files_removed_on_error` block runs, so that they can be removed again.
_saved_files: contextvars.ContextVar[list | None] = contextvars.ContextVar("saved_files", default=None)


@contextlib.contextmanager
def files_removed_on_error():
    """Remove the files saved inside the block when the block raises: the database rolls its rows
    back, and this does the same for the files those rows would have pointed to."""
    saved: list = []
    token = _saved_files.set(saved)
    try:
        yield
    except BaseException:
        for storage, name in saved:
            with contextlib.suppress(OSError):
                storage.delete(name)
        raise
    finally:
        _saved_files.reset(token)


def file_saved(storage, name: str) -> None:
    """Tell an enclosing `files_removed_on_error` block (if any) that `name` was written."""
    journal = _saved_files.get()
    if journal is not None:
        journal.append((storage, name))


class SafeFileSystemStorage(FileSystemStorage):
    """FileSystemStorage that writes to a temporary name and links the finished file into place
    (see the module's docstring). Saving never overwrites: a name already taken gets another."""

    def _save(self, name, content):
        try:
            name = self._save_atomically(name, content)
        except OSError as error:
            raise StorageFailed.for_code("save_failed") from error
        file_saved(self, name)
        return name

    def _save_atomically(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        if self.directory_permissions_mode is not None:
            safe_makedirs(directory, self.directory_permissions_mode, exist_ok=True)
        else:
            os.makedirs(directory, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as file:
                self._write(file, content)
                file.flush()
                os.fsync(file.fileno())  # a full disk shows here, not after the row is saved
            os.chmod(temporary, self._file_mode())
            while True:
                try:
                    os.link(temporary, full_path)  # fails, unlike a rename, when the name is taken
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
                else:
                    break
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        self._ensure_location_group_id(full_path)
        return os.path.relpath(full_path, self.location).replace("\\", "/")

    def _write(self, file, content) -> None:
        """Copy `content` into the open temporary `file` (tests make this fail)."""
        for chunk in content.chunks():
            file.write(chunk if isinstance(chunk, bytes) else chunk.encode())

    def _file_mode(self) -> int:
        if self.file_permissions_mode is not None:
            return self.file_permissions_mode
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def private_storage():
    """Storage for files outside MEDIA_ROOT with no public URL (restricted attachments, drawn
    signatures, campaign documents), served only through views that check who is asking: the
    folder PRIVATE_MEDIA_ROOT, or the private part of the bucket when object storage is configured
    (settings.object_storages). A callable, so that migrations record the function and not one
    machine's folder."""
    if "private" in settings.STORAGES:
        return storages["private"]
    return SafeFileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def private_file_response(file, *, content_type=None, as_attachment=False, filename=None) -> HttpResponse:
    """The answer that delivers a private `file` to someone a view has just checked. Behind nginx
    (PRIVATE_MEDIA_ACCEL_PREFIX set, deploy/nginx/qingfeng.conf.template) the app only names the
    file in X-Accel-Redirect and nginx sends it from its `internal` location, so a worker is not
    held for a large download; in object storage it is a redirect to a link signed for 5 minutes;
    otherwise the app streams it. A missing file is a 404 in every case."""
    if not file or not file.storage.exists(file.name):
        raise Http404
    content_type = content_type or mimetypes.guess_type(filename or file.name)[0] or "application/octet-stream"
    disposition = content_disposition_header(as_attachment, filename or os.path.basename(file.name))
    prefix = settings.PRIVATE_MEDIA_ACCEL_PREFIX
    if not isinstance(file.storage, FileSystemStorage):  # object storage: a signed link, valid 5 minutes
        parameters = {"ResponseContentType": content_type, "ResponseCacheControl": "private, no-store"}
        if disposition:
            parameters["ResponseContentDisposition"] = disposition
        response = HttpResponseRedirect(file.storage.url(file.name, parameters=parameters))
    elif prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix + quote(file.name)
        if disposition:
            response["Content-Disposition"] = disposition
    else:
        response = FileResponse(
            file.open("rb"), as_attachment=as_attachment, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class StorageFailureAdminMixin:
    """For a ModelAdmin: when a file cannot be saved, show the form again with the message as a
    form error (status 200) instead of a server error. The failed save ran inside the admin's
    transaction, which is rolled back, and the files it had already written are removed: no row
    and no file remain."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with files_removed_on_error():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except StorageFailed as error:
            request.storage_failure = error.message
            for _key, uploads in request.FILES.lists():
                for upload in uploads:
                    upload.seek(0)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        message = getattr(request, "storage_failure", None)
        if message is None:
            return form

        class RefusedForm(form):
            def clean(self):
                super().clean()
                raise ValidationError(message, code="save_failed")

        return RefusedForm
