"""The offline natal interpretation and summary: readable text built only from the chart's facts.

The phrase banks are content in both languages (like the tarot deck); headings and notes go through gettext,
so callers activate the reader's language first.
"""

from django.utils.translation import gettext_lazy as _

from horoscopes.astro.constants import PLANET_GLYPHS, PLANETS, format_longitude, sign_of
from horoscopes.names import ASPECT_NAMES, POINT_NAMES, SIGN_NAMES, name
from horoscopes.writer.grammar import SIGN_NAMES_IN
from horoscopes.writer.uncertain import point_signs, uncertain_of, why_lines

PERSONAL = ("sun", "moon", "mercury", "venus", "mars")
ASPECT_GLYPHS = {"conjunction": "☌", "sextile": "⚹", "square": "□", "trine": "△", "opposition": "☍"}

# How a sign colours whatever sits in it: an adverbial phrase that fits every template below.
SIGN_STYLE = {
    "aries": {"ru": "смело, прямо и с азартом первопроходца", "en": "boldly, directly and with a pioneer's zest"},
    "taurus": {
        "ru": "спокойно, надёжно и с любовью к простым радостям",
        "en": "calmly, steadily and with a love of simple pleasures",
    },
    "gemini": {"ru": "живо, любознательно и легко", "en": "lightly, curiously and with quick wit"},
    "cancer": {"ru": "бережно, чутко и с заботой о своих", "en": "gently, sensitively and with care for your own"},
    "leo": {"ru": "ярко, щедро и от всего сердца", "en": "warmly, generously and from the heart"},
    "virgo": {
        "ru": "вдумчиво, точно и с желанием быть полезным",
        "en": "thoughtfully, precisely and with a wish to be useful",
    },
    "libra": {
        "ru": "изящно, дипломатично и в поисках равновесия",
        "en": "gracefully, diplomatically and in search of balance",
    },
    "scorpio": {"ru": "глубоко, страстно и без полумер", "en": "deeply, intensely and without half measures"},
    "sagittarius": {
        "ru": "свободно, с размахом и верой в лучшее",
        "en": "freely, expansively and with faith in the best",
    },
    "capricorn": {
        "ru": "собранно, ответственно и с прицелом на результат",
        "en": "purposefully, responsibly and with an eye on results",
    },
    "aquarius": {
        "ru": "независимо, неожиданно и с мыслью о будущем",
        "en": "independently, unexpectedly and with an eye on the future",
    },
    "pisces": {"ru": "мягко, интуитивно и с воображением", "en": "softly, intuitively and with imagination"},
}

POINT_TEMPLATES = {
    "sun": {
        "ru": "<b>Солнце {sign_in}</b> — ядро вашей личности: вы расцветаете, когда живёте {style}.",
        "en": "<b>Sun {sign_in}</b>, the core of who you are: you thrive when you live {style}.",
    },
    "moon": {
        "ru": "<b>Луна {sign_in}</b> — ваш внутренний мир: покой приходит, когда можно чувствовать {style}.",
        "en": "<b>Moon {sign_in}</b>, your inner world: you feel at peace when you can feel {style}.",
    },
    "asc": {
        "ru": "<b>Асцендент {sign_in}</b> — ваша манера встречать мир: за новое вы берётесь {style}.",
        "en": "<b>Ascendant {sign_in}</b>, how you meet the world: you take on new things {style}.",
    },
    "mercury": {
        "ru": "<b>Меркурий {sign_in}</b>: вы думаете и говорите {style}.",
        "en": "<b>Mercury {sign_in}</b>: you think and speak {style}.",
    },
    "venus": {
        "ru": "<b>Венера {sign_in}</b>: в любви и дружбе вы раскрываетесь {style}.",
        "en": "<b>Venus {sign_in}</b>: in love and friendship you open up {style}.",
    },
    "mars": {
        "ru": "<b>Марс {sign_in}</b>: своего вы добиваетесь {style}.",
        "en": "<b>Mars {sign_in}</b>: you go after what you want {style}.",
    },
    "jupiter": {
        "ru": "<b>Юпитер {sign_in}</b>: удача и рост приходят, когда вы действуете {style}.",
        "en": "<b>Jupiter {sign_in}</b>: luck and growth come when you act {style}.",
    },
    "saturn": {
        "ru": "<b>Сатурн {sign_in}</b>: ваши главные уроки — учиться действовать {style}, но без крайностей.",
        "en": "<b>Saturn {sign_in}</b>: your key lessons are about acting {style}, without extremes.",
    },
    "uranus": {
        "ru": "<b>Уран {sign_in}</b>, черта вашего поколения: перемены приходят к вам {style}.",
        "en": "<b>Uranus {sign_in}</b>, a mark of your generation: change comes to you {style}.",
    },
    "neptune": {
        "ru": "<b>Нептун {sign_in}</b>, черта поколения: мечты и вдохновение приходят {style}.",
        "en": "<b>Neptune {sign_in}</b>, a mark of your generation: dreams and inspiration come {style}.",
    },
    "pluto": {
        "ru": "<b>Плутон {sign_in}</b>, черта поколения: глубокие перемены проходят {style}.",
        "en": "<b>Pluto {sign_in}</b>, a mark of your generation: deep transformations unfold {style}.",
    },
    "mean_node": {
        "ru": "<b>Северный узел (средний) {sign_in}</b>: ваш путь роста — учиться жить {style}.",
        "en": "<b>North Node (mean) {sign_in}</b>: your path of growth is learning to live {style}.",
    },
}

HOUSE_AREAS = {
    1: {"ru": "в том, как вы себя проявляете", "en": "in how you present yourself"},
    2: {"ru": "в деньгах и том, что вы цените", "en": "in money and what you value"},
    3: {"ru": "в общении, учёбе и поездках", "en": "in conversation, learning and short trips"},
    4: {"ru": "в доме и семье", "en": "at home and in the family"},
    5: {"ru": "в творчестве, романах и радости", "en": "in creativity, romance and joy"},
    6: {"ru": "в работе изо дня в день и заботе о здоровье", "en": "in daily work and looking after your health"},
    7: {"ru": "в партнёрстве и близких отношениях", "en": "in partnership and close relationships"},
    8: {"ru": "в общих ресурсах и глубоких переменах", "en": "in shared resources and deep change"},
    9: {"ru": "в путешествиях, учёбе и поиске смысла", "en": "in travel, study and the search for meaning"},
    10: {"ru": "в карьере и репутации", "en": "in career and reputation"},
    11: {"ru": "в дружбе, командах и планах на будущее", "en": "in friendship, teams and plans for the future"},
    12: {"ru": "во внутренней жизни и уединении", "en": "in your inner life and in solitude"},
}
HOUSE_SENTENCE = {"ru": "Ярче всего это видно {area} ({house} дом).", "en": "It shows most {area} (house {house})."}

DOMAINS = {
    "sun": {"ru": "воля", "en": "your will"},
    "moon": {"ru": "чувства", "en": "your feelings"},
    "mercury": {"ru": "ум", "en": "your mind"},
    "venus": {"ru": "сердце", "en": "your heart"},
    "mars": {"ru": "энергия", "en": "your drive"},
    "jupiter": {"ru": "оптимизм", "en": "your optimism"},
    "saturn": {"ru": "чувство долга", "en": "your sense of duty"},
    "uranus": {"ru": "жажда свободы", "en": "your need for freedom"},
    "neptune": {"ru": "воображение", "en": "your imagination"},
    "pluto": {"ru": "внутренняя сила", "en": "your inner power"},
    "mean_node": {"ru": "путь развития", "en": "your path of growth"},
}
ASPECT_PHRASES = {
    "conjunction": {"ru": "сливаются воедино и усиливают друг друга", "en": "merge and amplify each other"},
    "sextile": {
        "ru": "поддерживают друг друга, стоит только дать им шанс",
        "en": "support each other whenever you give them a chance",
    },
    "square": {
        "ru": "спорят между собой, и это напряжение толкает вас вперёд",
        "en": "pull against each other, and that tension drives you forward",
    },
    "trine": {
        "ru": "работают в лёгком согласии — это ваш природный дар",
        "en": "work together with ease: a natural gift",
    },
    "opposition": {
        "ru": "тянут в разные стороны и учат вас равновесию",
        "en": "pull in opposite directions and teach you balance",
    },
}

TITLE = _("🌌 <b>Your natal chart</b>")
PLANETS_HEADING = _("<b>Planets</b>")
ASPECTS_HEADING = _("<b>The tightest aspects</b>")
HOUSE_LABEL = _("house {house}")
NO_TIME_NOTE = _(
    "Your birth time is unknown, so houses, the Ascendant and the MC are left out: they change every few "
    "minutes. Add your birth time in /profile to complete the chart."
)
POLAR_NOTE = _(
    "You were born above the polar circle, where Placidus houses do not exist: Porphyry houses are used instead."
)
INTERPRETATION_HEADING = _("🔮 <b>Your chart, interpreted</b>")
CLOSING = _("A chart is not a verdict but a map: it shows tendencies, and the choices are always yours.")


def _pick(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    return table[key].get(lang, table[key]["en"])


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _degree(longitude: float) -> str:
    return format_longitude(longitude).replace("'", "′")


def _points(data: dict) -> dict[str, dict]:
    points = dict(data["points"])
    for angle in ("asc", "mc"):
        if data.get(angle) is not None:
            points[angle] = {"longitude": data[angle], "sign": sign_of(data[angle]), "house": None}
    return points


def big_three(data: dict, lang: str) -> str:
    """The Sun, Moon and Ascendant line everyone gets."""
    points = _points(data)
    uncertain = uncertain_of(data)
    parts = []
    for point, glyph in (("sun", "☉"), ("moon", "☽"), ("asc", "↑")):
        if point in uncertain:
            parts.append(f"{glyph} {point_signs(point, uncertain[point], lang)}")
        elif point in points:
            sign_in = _pick(SIGN_NAMES_IN, points[point]["sign"], lang)
            parts.append(f"{glyph} {name(POINT_NAMES, point, lang)} {sign_in}")
    return " · ".join(parts)


def chart_summary(data: dict, lang: str, *, full: bool) -> str:
    """The summary sent with the wheel: the essentials, and with `full` the planets and tightest aspects."""
    lines = [str(TITLE), "", big_three(data, lang)]
    if full:
        lines += ["", str(PLANETS_HEADING)]
        uncertain = uncertain_of(data)
        for point, position in data["points"].items():
            glyph = PLANET_GLYPHS.get(point, "•")
            if point in uncertain:
                lines.append(f"{glyph} {point_signs(point, uncertain[point], lang)}")
                continue
            where = f"{_degree(position['longitude'])} {name(SIGN_NAMES, position['sign'], lang)}"
            house = HOUSE_LABEL.format(house=position["house"]) if position.get("house") else ""
            retro = " ℞" if position.get("retrograde") and point != "mean_node" else ""
            lines.append(f"{glyph} {name(POINT_NAMES, point, lang)} — {where}{retro}" + (f", {house}" if house else ""))
        node = data.get("true_node")
        if node:
            where = f"{_degree(node['longitude'])} {name(SIGN_NAMES, node['sign'], lang)}"
            house = HOUSE_LABEL.format(house=node["house"]) if node.get("house") else ""
            retro = " ℞" if node.get("retrograde") else ""
            label = f"{PLANET_GLYPHS['true_node']} {name(POINT_NAMES, 'true_node', lang)}"
            lines.append(f"{label} — {where}{retro}" + (f", {house}" if house else ""))
        aspects = tightest_aspects(data)
        if aspects:
            lines += ["", str(ASPECTS_HEADING)]
            for aspect in aspects:
                lines.append(
                    f"{name(POINT_NAMES, aspect['a'], lang)} {ASPECT_GLYPHS[aspect['kind']]} "
                    f"{name(POINT_NAMES, aspect['b'], lang)} ({name(ASPECT_NAMES, aspect['kind'], lang)}, "
                    f"{_degree(aspect['orb'])})"
                )
    notes = chart_notes(data, lang)
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def chart_notes(data: dict, lang: str) -> list[str]:
    """What the reader must know about how the chart was computed."""
    if not data.get("houses"):
        return [f"<i>{NO_TIME_NOTE}</i>", *(f"<i>{line}</i>" for line in why_lines(uncertain_of(data), lang))]
    if data.get("polar_fallback"):
        return [f"<i>{POLAR_NOTE}</i>"]
    return []


def tightest_aspects(data: dict, limit: int = 5) -> list[dict]:
    """The aspects with the smallest orbs, skipping the node (its aspects read as noise to most people)."""
    # Nor a body whose sign is not known (its aspects at noon are a guess too).
    skip = {"mean_node", *uncertain_of(data)}
    aspects = [a for a in data.get("aspects", []) if a["a"] not in skip and a["b"] not in skip]
    return sorted(aspects, key=lambda a: (a["orb"], a["a"], a["b"]))[:limit]


def interpretation_offline(data: dict, lang: str) -> str:
    """A full interpretation from the chart's facts alone: points by sign and house, then the tightest aspects."""
    lang = lang if lang in ("ru", "en") else "en"
    points = _points(data)
    paragraphs = [str(INTERPRETATION_HEADING)]
    # The big three first, then the rest in the usual order.
    uncertain = uncertain_of(data)
    for point in ("sun", "moon", "asc", *PLANETS[2:]):
        if point not in points or point in uncertain:
            continue
        position = points[point]
        text = POINT_TEMPLATES[point][lang].format(
            sign_in=_pick(SIGN_NAMES_IN, position["sign"], lang), style=_pick(SIGN_STYLE, position["sign"], lang)
        )
        house = position.get("house")
        if house and point in PERSONAL:
            text += " " + HOUSE_SENTENCE[lang].format(area=HOUSE_AREAS[house][lang], house=house)
        paragraphs.append(text)
    for aspect in tightest_aspects(data, limit=4):
        a, b = aspect["a"], aspect["b"]
        pair = f"{name(POINT_NAMES, a, lang)} {ASPECT_GLYPHS[aspect['kind']]} {name(POINT_NAMES, b, lang)}"
        domains = f"{_pick(DOMAINS, a, lang)} {'и' if lang == 'ru' else 'and'} {_pick(DOMAINS, b, lang)}"
        paragraphs.append(f"<b>{pair}</b>: {_cap(domains)} {_pick(ASPECT_PHRASES, aspect['kind'], lang)}.")
    paragraphs.extend(chart_notes(data, lang))
    paragraphs.append(f"<i>{CLOSING}</i>")
    return "\n\n".join(paragraphs)
