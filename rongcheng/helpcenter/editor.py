"""The rich-text editor of the back office: Trix (npm `trix`), served from our own static
files. It writes HTML into a hidden input; the service sanitises it before it is stored."""

from django import forms
from django.utils.html import format_html


class RichTextEditor(forms.Widget):
    template_name = ""  # rendered by render() below: a hidden input and the editor bound to it

    class Media:
        css = {"all": ["vendor/trix/trix.css", "helpcenter/editor.css"]}
        js = ["vendor/trix/trix.umd.min.js", "helpcenter/js/editor.js"]

    def render(self, name, value, attrs=None, renderer=None):
        element_id = (attrs or {}).get("id") or f"id_{name}"
        return format_html(
            '<input type="hidden" id="{}" name="{}" value="{}">'
            '<trix-editor input="{}" class="trix-content rc-editor"></trix-editor>',
            element_id,
            name,
            value or "",
            element_id,
        )
