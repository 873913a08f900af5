"""Bodies whose sign is not known because the birth time is not: "Moon in Aquarius or Pisces" and why.

The chart of an unknown birth time is drawn for local noon; a body that changed sign during the birth day is
shown with every sign it may have had and nothing is interpreted from it. `uncertain` maps a point to its
possible signs in order (users.selectors.user_signs_uncertain; a natal chart's data keeps it as "uncertain").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from horoscopes.astro.constants import PLANET_GLYPHS
from horoscopes.writer.grammar import point_name, sign_in, sign_name

# English leaves the preposition out of later signs ("in Aquarius or Pisces"), Russian repeats it.
TWO_SIGNS = _("{first_in} or {second}")
THREE_SIGNS = _("{first_in}, {second} or {third}")
POINT_SIGNS = _("{point} {signs_in}")
WHY = _(
    "{glyph} {point}: during your birth day first {first_in}, then {last_in}. Without the birth time it cannot be "
    "told which sign it was at your birth, so it is not interpreted here; add the time in /profile."
)
FACT = _("{point}: {signs_in} (birth time unknown: the sign changed that day; do not interpret it)")
WHEEL_NOTE = _("{point} {signs_in}: drawn at local noon, the birth time is unknown")


def uncertain_of(data: Mapping) -> dict[str, tuple[str, ...]]:
    """The uncertain points of a natal chart's stored data."""
    return {point: tuple(signs) for point, signs in (data.get("uncertain") or {}).items()}


def signs_in(signs: Sequence[str], lang: str) -> str:
    """'in Aquarius or Pisces' / 'в Водолее или в Рыбах' (one sign: 'in Aquarius')."""
    with translation.override(lang):
        values = {
            "first_in": sign_in(signs[0], lang),
            "second": sign_name(signs[1], lang) if len(signs) > 1 else "",
            "second_in": sign_in(signs[1], lang) if len(signs) > 1 else "",
            "third": sign_name(signs[2], lang) if len(signs) > 2 else "",
            "third_in": sign_in(signs[2], lang) if len(signs) > 2 else "",
        }
        if len(signs) == 1:
            return values["first_in"]
        return str(TWO_SIGNS if len(signs) == 2 else THREE_SIGNS).format(**values)


def point_signs(point: str, signs: Sequence[str], lang: str) -> str:
    """'Moon in Aquarius or Pisces' / 'Луна в Водолее или в Рыбах'."""
    with translation.override(lang):
        return str(POINT_SIGNS).format(point=point_name(point, lang), signs_in=signs_in(signs, lang))


def why_lines(uncertain: Mapping[str, Sequence[str]], lang: str) -> list[str]:
    """One line a body: which signs it had during the birth day and that it is therefore not interpreted."""
    with translation.override(lang):
        return [
            str(WHY).format(
                glyph=PLANET_GLYPHS.get(point, "•"),
                point=point_name(point, lang),
                first_in=sign_in(signs[0], lang),
                last_in=sign_in(signs[-1], lang),
            )
            for point, signs in uncertain.items()
        ]


def fact_lines(uncertain: Mapping[str, Sequence[str]], lang: str) -> list[str]:
    """The uncertain bodies as facts for an LLM prompt, with the instruction not to interpret them."""
    with translation.override(lang):
        return [
            str(FACT).format(point=point_name(point, lang), signs_in=signs_in(signs, lang))
            for point, signs in uncertain.items()
        ]


def wheel_caption(caption: str, uncertain: Mapping[str, Sequence[str]], lang: str) -> str:
    """The wheel's caption with a line for every body drawn at noon but possibly in another sign."""
    with translation.override(lang):
        notes = [
            str(WHEEL_NOTE).format(point=point_name(point, lang), signs_in=signs_in(signs, lang))
            for point, signs in uncertain.items()
        ]
    return "\n".join([caption, *notes])
