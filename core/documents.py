"""Content checks for attachments: the bytes must be what the name says."""

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# extension → (content type, check of the content)
ALLOWED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OFFICE_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def attachment_check(upload) -> tuple[str, str]:
    """Return (extension, content type) of a PDF, DOCX or XLSX upload, or raise ValidationError."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError(_("Only PDF, DOCX and XLSX files can be attached."))
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)d MB.") % {"limit": MAX_ATTACHMENT_BYTES // 1024 // 1024}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension == "pdf":
        if not head.startswith(b"%PDF-"):
            raise ValidationError(_("The file is not a real PDF document."))
    else:
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as error:
            raise ValidationError(
                _("The file is not a real %(kind)s document.") % {"kind": extension.upper()}
            ) from error
        finally:
            upload.seek(0)
        if "[Content_Types].xml" not in names or OFFICE_PART[extension] not in names:
            raise ValidationError(_("The file is not a real %(kind)s document.") % {"kind": extension.upper()})
    return extension, ALLOWED[extension]
