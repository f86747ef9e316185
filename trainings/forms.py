"""Forms of programmes and their materials (helper parts keep theirs in forms_<part>.py)."""

import os
import zipfile

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from kokemuspankki.form_keys import FormKeyMixin

from .models import Material, Module

# Extension -> the content type we serve it as. The browser's claimed type is not trusted: the type
# comes from the extension, and the file's first bytes must agree with it (file_looks_like).
MATERIAL_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "txt": "text/plain",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
# The folder every Office Open XML package of the kind has.
OOXML_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
SIGNATURES = {"pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff"}


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def file_looks_like(upload, extension: str) -> bool:
    """Whether the file's content is what its extension says: a PDF starts with %PDF-, a PNG and a
    JPEG with their signatures, Office files are ZIP packages with the right parts (an OpenDocument
    file names its type in its "mimetype" entry), and a text file has no NUL bytes."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if extension in SIGNATURES:
        return head.startswith(SIGNATURES[extension])
    if extension == "txt":
        return b"\x00" not in head
    try:
        with zipfile.ZipFile(upload) as package:
            names = package.namelist()
            if extension in OOXML_FOLDERS:
                return "[Content_Types].xml" in names and any(n.startswith(OOXML_FOLDERS[extension]) for n in names)
            return "mimetype" in names and package.read("mimetype").strip() == MATERIAL_TYPES[extension].encode()
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False
    finally:
        upload.seek(0)


class MaterialForm(forms.ModelForm):
    """A file or a link for a programme, optionally of one of its modules. The file's own name,
    size and type are kept on the material; it is stored under a random name (models.material_path)."""

    url = forms.URLField(
        label=_("link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Or a link to a web page instead of a file."),
    )

    class Meta:
        model = Material
        fields = ["title", "module", "file", "url"]
        help_texts = {
            "file": _("PDF, Word, Excel, PowerPoint, OpenDocument, text, PNG or JPEG."),
        }

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        programme = programme or (self.instance.programme if self.instance.programme_id else None)
        if programme is not None:
            self.instance.programme = programme
            self.fields["module"].queryset = Module.objects.filter(programme=programme)
        self.fields["module"].empty_label = _("The whole programme")
        self.fields["module"].required = False
        self.fields["file"].widget = forms.ClearableFileInput(attrs={"accept": accepted_extensions()})

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload  # no new file: the stored one (or none) stays
        extension = extension_of(upload.name)
        if extension not in MATERIAL_TYPES:
            raise forms.ValidationError(
                _(
                    "Files of this type cannot be added. "
                    "Choose a PDF, Word, Excel, PowerPoint, OpenDocument, text, PNG or JPEG file."
                ),
                code="file_type",
            )
        if upload.size > settings.KP_MATERIAL_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large. The largest allowed size is %(limit)s."),
                code="too_large",
                params={"limit": filesizeformat(settings.KP_MATERIAL_MAX_BYTES)},
            )
        if not file_looks_like(upload, extension):
            raise forms.ValidationError(
                _(
                    "The file's content does not match its type (.%(extension)s). "
                    "Save it again in that format and retry."
                ),
                code="file_content",
                params={"extension": extension},
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file"))
        has_url = bool(cleaned.get("url"))
        if has_file and has_url:
            raise forms.ValidationError(_("Add either a file or a link, not both."), code="file_and_link")
        if not has_file and not has_url and not self.errors:
            raise forms.ValidationError(_("Choose a file or give a link."), code="no_file_or_link")
        return cleaned

    def save(self, commit=True):
        material = super().save(commit=False)
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            extension = extension_of(upload.name)
            # The name as the user's computer had it, without a folder part: given back on download.
            material.filename = os.path.basename(upload.name.replace("\\", "/"))[-200:]
            material.size = upload.size
            material.content_type = MATERIAL_TYPES[extension]
        elif not material.file:
            material.filename, material.size, material.content_type = "", 0, ""
        if commit:
            material.save()
        return material


def accepted_extensions() -> str:
    return ",".join(f".{extension}" for extension in MATERIAL_TYPES)


class MaterialAddForm(FormKeyMixin, MaterialForm):
    """MaterialForm on the programme's page, with a one-time key: a double submit adds one material
    (admin has its own form and its own save)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_form_key()

    def clean(self):
        self.check_form_key()
        return super().clean()
