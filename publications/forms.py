import posixpath
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.documents import ALLOWED, attachment_check
from core.images import image_clean
from publications.models import Attachment

# Scans and photos of documents; re-encoded like every image (core/images.py).
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png"}
IMAGE_CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


class PrivateFileInput(forms.FileInput):
    """A file input that shows no link to the stored file: private storage has no public address
    (the link would be dead, or in object storage a signed link to the original). The inline
    links the site's checked download instead (AttachmentInline.download_link)."""


class AttachmentForm(forms.ModelForm):
    """Checks an uploaded attachment by its content and keeps its original (Chinese) name; the
    stored file gets a random name so that nothing is guessable on disk."""

    class Meta:
        model = Attachment
        fields = ["file"]
        widgets = {"file": PrivateFileInput}
        help_texts = {
            "file": gettext_lazy(
                "Readers of an item for cadres or staff get PDF, DOCX, JPG and PNG files as copies "
                "stamped with their name and a trace code; XLSX files of such items are not handed out."
            )
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and hasattr(upload, "content_type"):
            original_name = posixpath.basename(upload.name)[:200]
            extension = original_name.rsplit(".", 1)[-1].lower() if "." in original_name else ""
            if extension in IMAGE_EXTENSIONS:
                upload = image_clean(upload)  # under a random name already
                content_type = IMAGE_CONTENT_TYPES[upload.name.rsplit(".", 1)[-1]]
            elif extension in ALLOWED:
                extension, content_type = attachment_check(upload)
                upload.name = f"{uuid.uuid4().hex}.{extension}"
            else:
                raise ValidationError(_("Only PDF, DOCX, XLSX, JPG and PNG files can be attached."))
            self.instance.original_name = original_name
            self.instance.content_type = content_type
            self.instance.size = upload.size
        return upload
