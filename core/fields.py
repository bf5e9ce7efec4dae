from django_ckeditor_5.fields import CKEditor5Field

from core.richtext import clean_html


class RichTextField(CKEditor5Field):
    """Rich text edited with CKEditor 5 and cleaned (core.richtext) before it is stored.
    Templates render it with the `richtext` filter, which cleans it once more."""

    def pre_save(self, model_instance, add):
        cleaned = clean_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, cleaned)
        return cleaned
