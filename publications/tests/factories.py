import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from publications.forms import AttachmentForm
from publications.models import Audience, Publication
from publications.services import publication_save
from units.tests.factories import UnitFactory


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    kind = Publication.Kind.NEWS
    title = factory.Sequence(lambda n: f"工作动态第{n}条")
    audience = Audience.PUBLIC
    issuing_unit = factory.SubFactory(UnitFactory)
    summary = "摘要"
    body = "<p>正文内容</p>"
    is_published = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return publication_save(publication=model_class(*args, **kwargs), actor=None)


def pdf_bytes(marker: str = "") -> bytes:
    return b"%PDF-1.4\n% " + marker.encode() + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def attach(publication, name, content, content_type="application/pdf"):
    form = AttachmentForm(files={"file": SimpleUploadedFile(name, content, content_type=content_type)})
    form.instance.publication = publication
    assert form.is_valid(), form.errors
    return form.save()
