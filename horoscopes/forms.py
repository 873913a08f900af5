"""Staff forms for texts the bot sends as Telegram HTML: checked on save, so an edit can never break a message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from horoscopes import markup

_PROBLEMS = {
    "unclosed_start_tag": _("“<” at character %(position)s starts no tag: write &lt; for the sign itself."),
    "unsupported_tag": _(
        "Telegram does not know the tag <%(tag)s> (character %(position)s). Use <b>, <i>, <u>, <s>, <a href>, "
        "<code>, <blockquote> or <tg-spoiler>; write &lt; for the sign itself."
    ),
    "unexpected_end_tag": _("The closing tag at character %(position)s closes nothing."),
    "no_end_tag": _("The tag <%(tag)s> at character %(position)s is not closed (or tags are crossed)."),
    "bad_attribute": _("The attributes of the tag at character %(position)s cannot be read."),
    "span_class": _('A <span> needs class="tg-spoiler" (character %(position)s).'),
}


class TelegramTextsForm(forms.ModelForm):
    """Every text area must be HTML that Telegram accepts."""

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if not isinstance(field.widget, forms.Textarea) or not isinstance(value, str):
                continue
            try:
                markup.parse(value)
            except markup.MarkupError as error:
                # "a < b": Telegram calls it an unsupported tag with no name; staff need to hear "escape it".
                code = "unclosed_start_tag" if error.code == "unsupported_tag" and not error.tag else error.code
                problem = forms.ValidationError(
                    _PROBLEMS[code], code=code, params={"position": error.index + 1, "tag": error.tag}
                )
                self.add_error(name, problem)
        return cleaned
