import posixpath
import uuid

from django import forms

from core.documents import attachment_check
from publications.models import Attachment


class AttachmentForm(forms.ModelForm):
    """Checks an uploaded attachment by its content and keeps its original (Chinese) name; the
    stored file gets a random name so that nothing is guessable on disk."""

    class Meta:
        model = Attachment
        fields = ["file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and hasattr(upload, "content_type"):
            extension, content_type = attachment_check(upload)
            self.instance.original_name = posixpath.basename(upload.name)[:200]
            self.instance.content_type = content_type
            self.instance.size = upload.size
            upload.name = f"{uuid.uuid4().hex}.{extension}"
        return upload
