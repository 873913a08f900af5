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

# How a sign colours whatever sits in it: adverbial phrases that fit every template below. Each point in a
# sign takes its own pair of them (STYLE_PAIRS in order, then STYLE_MORE), so a stellium never repeats a phrase.
SIGN_STYLE = {
    "aries": {
        "ru": (
            "смело",
            "прямо",
            "с азартом первопроходца",
            "без долгих раздумий",
            "энергично",
            "с готовностью рискнуть",
        ),
        "en": (
            "boldly",
            "directly",
            "with a pioneer's zest",
            "without long deliberation",
            "energetically",
            "with a readiness to take risks",
        ),
    },
    "taurus": {
        "ru": ("спокойно", "надёжно", "с любовью к простым радостям", "без спешки", "основательно", "с чувством вкуса"),
        "en": (
            "calmly",
            "steadily",
            "with a love of simple pleasures",
            "unhurriedly",
            "thoroughly",
            "with a sense of taste",
        ),
    },
    "gemini": {
        "ru": (
            "живо",
            "любознательно",
            "легко",
            "с интересом ко всему новому",
            "играючи",
            "в разговоре и обмене идеями",
        ),
        "en": (
            "lightly",
            "curiously",
            "with quick wit",
            "with an interest in everything new",
            "playfully",
            "through conversation and ideas",
        ),
    },
    "cancer": {
        "ru": (
            "бережно",
            "чутко",
            "с заботой о своих",
            "по велению чувств",
            "с памятью о прошлом",
            "под защитой своего круга",
        ),
        "en": (
            "gently",
            "sensitively",
            "with care for your own",
            "led by feeling",
            "with a memory for the past",
            "within the safety of your circle",
        ),
    },
    "leo": {
        "ru": ("ярко", "щедро", "от всего сердца", "с достоинством", "артистично", "в центре внимания"),
        "en": ("warmly", "generously", "from the heart", "with dignity", "with flair", "in the limelight"),
    },
    "virgo": {
        "ru": ("вдумчиво", "точно", "с желанием быть полезным", "аккуратно", "со вниманием к деталям", "практично"),
        "en": (
            "thoughtfully",
            "precisely",
            "with a wish to be useful",
            "carefully",
            "with an eye for detail",
            "practically",
        ),
    },
    "libra": {
        "ru": (
            "изящно",
            "дипломатично",
            "в поисках равновесия",
            "с чувством меры",
            "в паре с другими",
            "со вкусом к красоте",
        ),
        "en": (
            "gracefully",
            "diplomatically",
            "in search of balance",
            "with a sense of measure",
            "together with others",
            "with a taste for beauty",
        ),
    },
    "scorpio": {
        "ru": ("страстно", "без полумер", "глубоко", "сосредоточенно", "с полной отдачей", "доверяя интуиции"),
        "en": (
            "intensely",
            "without half measures",
            "deeply",
            "with focus",
            "with full commitment",
            "trusting your intuition",
        ),
    },
    "sagittarius": {
        "ru": ("свободно", "с размахом", "с верой в лучшее", "с жаждой нового опыта", "открыто", "с юмором"),
        "en": (
            "freely",
            "expansively",
            "with faith in the best",
            "with a thirst for experience",
            "openly",
            "with humour",
        ),
    },
    "capricorn": {
        "ru": (
            "собранно",
            "ответственно",
            "с прицелом на результат",
            "терпеливо",
            "с расчётом на годы вперёд",
            "по-деловому",
        ),
        "en": (
            "purposefully",
            "responsibly",
            "with an eye on results",
            "patiently",
            "with the years ahead in mind",
            "in a businesslike way",
        ),
    },
    "aquarius": {
        "ru": (
            "независимо",
            "неожиданно",
            "с мыслью о будущем",
            "оригинально",
            "по-своему",
            "вместе с единомышленниками",
        ),
        "en": (
            "independently",
            "unexpectedly",
            "thinking of the future",
            "originally",
            "in your own way",
            "together with kindred spirits",
        ),
    },
    "pisces": {
        "ru": ("мягко", "интуитивно", "с воображением", "сочувственно", "по наитию", "с душой"),
        "en": ("softly", "intuitively", "with imagination", "compassionately", "by instinct", "with soul"),
    },
}
STYLE_PAIRS = ((0, 1), (2, 3), (4, 5))
# A fourth and further point in one sign.
STYLE_MORE = {
    "ru": (
        "в духе этого знака",
        "по законам этого знака",
        "так, как велит этот знак",
        "в ключе этого знака",
        "с характером этого знака",
        "как подсказывает этот знак",
    ),
    "en": (
        "in this sign's spirit",
        "by the laws of this sign",
        "the way this sign prescribes",
        "in this sign's key",
        "with this sign's character",
        "as this sign suggests",
    ),
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
        "ru": "<b>Нептун {sign_in}</b>, примета поколения: мечты и вдохновение приходят {style}.",
        "en": "<b>Neptune {sign_in}</b>, a trait of your generation: dreams and inspiration come {style}.",
    },
    "pluto": {
        "ru": "<b>Плутон {sign_in}</b>, знак поколения: большие перемены в вашей жизни идут {style}.",
        "en": "<b>Pluto {sign_in}</b>, a hallmark of your generation: big transformations in your life unfold {style}.",
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
# One per point, in order, so no reading says the same thing twice; a house already named gets HOUSE_AGAIN.
HOUSE_SENTENCE = {
    "ru": (
        "Ярче всего это видно {area} ({house}-й дом).",
        "Сильнее всего это проявляется {area} ({house}-й дом).",
        "Особенно заметно это {area} ({house}-й дом).",
        "Чаще всего это звучит {area} ({house}-й дом).",
        "Отчётливее всего это проступает {area} ({house}-й дом).",
    ),
    "en": (
        "It shows most {area} (house {house}).",
        "It comes through most strongly {area} (house {house}).",
        "You notice it especially {area} (house {house}).",
        "It sounds loudest {area} (house {house}).",
        "It stands out most clearly {area} (house {house}).",
    ),
}
HOUSE_AGAIN = {
    "ru": ("И это снова {house}-й дом.", "Это тоже сфера {house}-го дома.", "Здесь тоже работает {house}-й дом."),
    "en": ("Again, house {house}.", "This too belongs to house {house}.", "House {house} once more."),
}

DOMAINS = {
    "sun": {"ru": "воля", "en": "will"},
    "moon": {"ru": "чувства", "en": "feelings"},
    "mercury": {"ru": "ум", "en": "mind"},
    "venus": {"ru": "сердце", "en": "heart"},
    "mars": {"ru": "энергия", "en": "drive"},
    "jupiter": {"ru": "оптимизм", "en": "optimism"},
    "saturn": {"ru": "чувство долга", "en": "discipline"},
    "uranus": {"ru": "жажда свободы", "en": "independence"},
    "neptune": {"ru": "воображение", "en": "imagination"},
    "pluto": {"ru": "внутренняя сила", "en": "inner power"},
    "mean_node": {"ru": "путь развития", "en": "path of growth"},
}
# Several variants per aspect, each used once in a reading.
ASPECT_PHRASES = {
    "conjunction": {
        "ru": (
            "сливаются воедино и усиливают друг друга",
            "действуют как одно целое",
            "звучат в унисон, и это заметно окружающим",
            "переплетены так тесно, что их трудно разделить",
        ),
        "en": (
            "merge and amplify each other",
            "act as one",
            "sound in unison, and others notice it",
            "are so intertwined they are hard to separate",
        ),
    },
    "sextile": {
        "ru": (
            "поддерживают друг друга, стоит только дать им шанс",
            "легко находят общий язык, если вы этому помогаете",
            "дружат и дают вам удачные возможности",
            "помогают друг другу при небольшом усилии с вашей стороны",
        ),
        "en": (
            "support each other whenever you give them a chance",
            "get along easily when you help a little",
            "work as friends and open good opportunities",
            "help each other with a little effort from you",
        ),
    },
    "square": {
        "ru": (
            "спорят между собой, и это напряжение толкает вас вперёд",
            "расходятся во взглядах, заставляя искать решения",
            "сталкиваются, и в этом трении рождается ваша сила",
            "не дают друг другу покоя, и это двигатель вашего роста",
        ),
        "en": (
            "pull against each other, and that tension drives you forward",
            "disagree and make you find solutions",
            "clash, and your strength is born of that friction",
            "give each other no rest, and that is the engine of your growth",
        ),
    },
    "trine": {
        "ru": (
            "работают в лёгком согласии — это ваш природный дар",
            "гармонично дополняют друг друга",
            "поддерживают друг друга без усилий",
            "текут в одном русле, и многое даётся вам легко",
        ),
        "en": (
            "work together with ease: a natural gift",
            "complement each other harmoniously",
            "support each other effortlessly",
            "flow in one stream, so much comes easily to you",
        ),
    },
    "opposition": {
        "ru": (
            "тянут в разные стороны и учат вас равновесию",
            "смотрят друг на друга с противоположных берегов, и вы учитесь их мирить",
            "требуют баланса между двумя полюсами",
            "уравновешивают друг друга, когда вы находите середину",
        ),
        "en": (
            "pull in opposite directions and teach you balance",
            "face each other from opposite shores, and you learn to reconcile them",
            "call for balance between two poles",
            "balance each other when you find the middle",
        ),
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


def _style(sign: str, occurrence: int, lang: str) -> str:
    """The sign's colouring for its n-th point in a reading: a pair of phrases no earlier point used."""
    phrases = SIGN_STYLE[sign][lang if lang in ("ru", "en") else "en"]
    if occurrence >= len(STYLE_PAIRS):
        more = STYLE_MORE[lang if lang in ("ru", "en") else "en"]
        return more[(occurrence - len(STYLE_PAIRS)) % len(more)]
    first, second = STYLE_PAIRS[occurrence]
    return f"{phrases[first]} {'и' if lang == 'ru' else 'and'} {phrases[second]}"


def interpretation_offline(data: dict, lang: str) -> str:
    """A full interpretation from the chart's facts alone: points by sign and house, then the tightest aspects.

    No phrase comes twice: planets sharing a sign get different colourings, house sentences and aspect
    phrases each have several forms used in turn.
    """
    lang = lang if lang in ("ru", "en") else "en"
    points = _points(data)
    paragraphs = [str(INTERPRETATION_HEADING)]
    in_sign: dict[str, int] = {}
    houses_named: list[int] = []
    agains = 0
    # The big three first, then the rest in the usual order.
    uncertain = uncertain_of(data)
    for point in ("sun", "moon", "asc", *PLANETS[2:]):
        if point not in points or point in uncertain:
            continue
        position = points[point]
        sign = position["sign"]
        occurrence = in_sign.get(sign, 0)
        in_sign[sign] = occurrence + 1
        text = POINT_TEMPLATES[point][lang].format(
            sign_in=_pick(SIGN_NAMES_IN, sign, lang), style=_style(sign, occurrence, lang)
        )
        house = position.get("house")
        if house and point in PERSONAL:
            if house in houses_named:
                again = HOUSE_AGAIN[lang]
                text += " " + again[agains % len(again)].format(house=house)
                agains += 1
            else:
                templates = HOUSE_SENTENCE[lang]
                text += " " + templates[len(set(houses_named)) % len(templates)].format(
                    area=HOUSE_AREAS[house][lang], house=house
                )
            houses_named.append(house)
        paragraphs.append(text)
    kinds_used: dict[str, int] = {}
    for aspect in tightest_aspects(data, limit=4):
        a, b, kind = aspect["a"], aspect["b"], aspect["kind"]
        pair = f"{name(POINT_NAMES, a, lang)} {ASPECT_GLYPHS[kind]} {name(POINT_NAMES, b, lang)}"
        domains = f"{_pick(DOMAINS, a, lang)} {'и' if lang == 'ru' else 'and'} {_pick(DOMAINS, b, lang)}"
        if lang == "en":
            domains = f"your {domains}"
        phrases = ASPECT_PHRASES[kind][lang]
        phrase = phrases[kinds_used.get(kind, 0) % len(phrases)]
        kinds_used[kind] = kinds_used.get(kind, 0) + 1
        paragraphs.append(f"<b>{pair}</b>: {_cap(domains)} {phrase}.")
    paragraphs.extend(chart_notes(data, lang))
    paragraphs.append(f"<i>{CLOSING}</i>")
    return "\n\n".join(paragraphs)
