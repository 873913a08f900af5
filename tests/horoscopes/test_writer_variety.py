"""The offline writer's variety and grammar: what a reader of one sign sees over a month, and in one text."""

import json
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command

from horoscopes.astro import compute_chart, sky_of_day, transits
from horoscopes.astro.constants import SIGNS, sign_of
from horoscopes.writer import bank_en, bank_ru, daily_facts, write_daily, write_personal
from horoscopes.writer.daily import eclipse_kind
from horoscopes.writer.grammar import point_name
from horoscopes.writer.natal import interpretation_offline
from horoscopes.writer.variety import combine, variant

TZ = "Europe/Moscow"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
WORD = re.compile(r"[\w′°']+")


def sentences(sections: dict[str, str]) -> list[str]:
    return [s for text in sections.values() for s in SENTENCE_END.split(text) if s]


def repeated_four_word_phrases(text: str) -> list[tuple[str, ...]]:
    words = WORD.findall(re.sub(r"<[^>]+>", " ", text).lower())
    grams = Counter(tuple(words[i : i + 4]) for i in range(len(words) - 3))
    return [gram for gram, count in grams.items() if count > 1]


def test_variants_never_repeat_within_their_number_of_days_and_differ_between_members():
    for size in (30, 32, 36, 60):
        for member in range(12):
            numbers = [variant(size, day=739000 + d, member=member, slot="x") for d in range(size)]
            assert len(set(numbers)) == size
        assert len({variant(size, day=739000, member=m, slot="x") for m in range(12)}) == 12
    assert combine([("a", "b"), ("1", "2", "3")], 5) == ["b", "3"]


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("start", [date(2026, 12, 1), date(2025, 3, 10)])
def test_a_reader_of_one_sign_sees_at_most_five_percent_of_sentences_again_in_30_days(lang, start):
    skies = [sky_of_day(start + timedelta(days=n), TZ) for n in range(30)]
    for sign in SIGNS:
        seen: set[str] = set()
        total = again = 0
        for sky in skies:
            for sentence in sentences(write_daily(sign, sky, lang)):
                total += 1
                again += sentence in seen
                seen.add(sentence)
        assert again / total <= 0.05, (sign, again, total)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_two_signs_share_no_sentence_on_one_day(lang):
    for offset in range(0, 60, 2):
        sky = sky_of_day(date(2026, 12, 1) + timedelta(days=offset), TZ)
        owners: dict[str, str] = {}
        for sign in SIGNS:
            for sentence in set(sentences(write_daily(sign, sky, lang))):
                assert owners.setdefault(sentence, sign) == sign, (sky.date, sentence)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_daily_text_never_repeats_a_sentence(lang):
    for offset in range(0, 60, 3):
        sky = sky_of_day(date(2026, 1, 1) + timedelta(days=offset), TZ)
        for sign in SIGNS:
            found = sentences(write_daily(sign, sky, lang))
            assert len(found) == len(set(found))


def test_every_station_and_ingress_of_the_day_is_mentioned_with_its_house():
    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(730)]
    busy = [d for d in days if len(sky_of_day(d, TZ).stations) + len(sky_of_day(d, TZ).ingresses) >= 2]
    assert busy
    names = {"mercury": "Mercury", "venus": "Venus", "mars": "Mars", "jupiter": "Jupiter", "saturn": "Saturn"}
    names |= {"uranus": "Uranus", "neptune": "Neptune", "pluto": "Pluto", "sun": "Sun"}
    for day in busy[:12]:
        sky = sky_of_day(day, TZ)
        overview = write_daily("gemini", sky, "en")["overview"]
        for event in (*sky.stations, *(i for i in sky.ingresses if i.point in names)):
            assert names[event.point] in overview, (day, event)
        assert overview.count(" house") >= 1 + len(sky.stations)


def test_eclipses_are_found_and_told():
    found = {d: eclipse_kind(sky_of_day(d, "UTC")) for d in (date(2026, 1, 1) + timedelta(days=n) for n in range(365))}
    eclipses = {d: kind for d, kind in found.items() if kind}
    assert eclipses == {
        date(2026, 2, 17): "solar",
        date(2026, 3, 3): "lunar",
        date(2026, 8, 12): "solar",
        date(2026, 8, 28): "lunar",
    }
    assert "солнечное затмение" in write_daily("leo", sky_of_day(date(2026, 8, 12), TZ), "ru")["overview"]
    assert "lunar eclipse" in write_daily("leo", sky_of_day(date(2026, 3, 3), TZ), "en")["overview"]
    # The LLM is given the same facts.
    assert "It is a solar eclipse." in daily_facts("leo", sky_of_day(date(2026, 8, 12), TZ), "en")
    assert "Это лунное затмение." in daily_facts("leo", sky_of_day(date(2026, 3, 3), TZ), "ru")


def test_russian_effects_agree_with_any_aspect_by_construction():
    # The effect follows the aspect's name ("оппозиция" is feminine, "трин" masculine, "соединение" neuter):
    # each effect starts with a present-tense verb (or an adverb and one), which has no gender.
    verb = re.compile(r"^(\w+ )?\w+(ет|ит|ат|ят|ёт|ут|ют)\b")
    for by_nature in bank_ru.PLANET_EFFECT.values():
        for effects in by_nature.values():
            for effect in effects:
                assert verb.match(effect), effect
    for planet, by_nature in bank_en.PLANET_EFFECT.items():
        assert set(by_nature) == {"soft", "hard", "conj"} == set(bank_ru.PLANET_EFFECT[planet])
    text = " ".join(
        " ".join(write_daily(sign, sky_of_day(date(2026, 12, 1) + timedelta(days=n), TZ), "ru").values())
        for n in range(31)
        for sign in SIGNS
    )
    assert not re.search(r"(Оппозиция|Квадрат|Трин|Секстиль|Соединение)[^.]*способ(ен|на|но)\b", text)


def test_an_effect_always_belongs_to_its_planet_in_personal_horoscopes():
    natal = compute_chart(datetime(1990, 5, 15, 8, 30, tzinfo=UTC), 55.7558, 37.6173)
    effects = {
        planet: {effect for group in by_nature.values() for effect in group}
        for planet, by_nature in bank_ru.PLANET_EFFECT.items()
    }
    for offset in range(0, 60, 5):
        day = date(2026, 1, 1) + timedelta(days=offset)
        found = transits(natal, day, TZ)
        sections = write_personal(natal=natal, transits=found, sky=sky_of_day(day, TZ), sun_sign="taurus", lang="ru")
        for name in ("love", "work", "money", "health"):
            if " — это " not in sections[name]:
                continue  # the general text of the sign
            fact, effect = sections[name].split(" — это ", 1)
            effect = effect.rstrip(".")
            transiting = [t.transiting for t in found if re.search(rf"\b{point_name(t.transiting, 'ru')}\b", fact)]
            assert any(effect in effects[planet] for planet in transiting), (fact, effect)
        assert "располагает к нежности" not in " ".join(sections.values())


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_natal_reading_never_repeats_a_phrase_even_with_a_stellium(lang):
    # 4 February 1962: seven bodies in Aquarius.
    stellium = compute_chart(datetime(1962, 2, 4, 12, 0, tzinfo=UTC), 55.7558, 37.6173)
    signs = Counter(sign_of(p.longitude) for p in stellium.points.values())
    assert signs["aquarius"] >= 5
    capricorn = compute_chart(datetime(1990, 1, 10, 6, 0, tzinfo=UTC), 55.7558, 37.6173)
    for chart in (stellium, capricorn):
        text = interpretation_offline(chart.to_dict(), lang)
        assert repeated_four_word_phrases(text) == []
        assert "собранно, ответственно и с прицелом на результат" not in text
    pluto_in_scorpio = compute_chart(datetime(1988, 1, 1, tzinfo=UTC), 55.7558, 37.6173)
    assert "перемены проходят глубоко" not in interpretation_offline(pluto_in_scorpio.to_dict(), "ru")


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_personal_horoscope_is_not_five_sentences_of_one_shape(lang):
    natal = compute_chart(datetime(1985, 10, 2, 20, 0, tzinfo=UTC), 43.1, 131.9)
    day = date(2026, 12, 14)
    sections = write_personal(
        natal=natal, transits=transits(natal, day, TZ), sky=sky_of_day(day, TZ), sun_sign="libra", lang=lang
    )
    openings = [text.split()[0] for text in sections.values()]
    assert len(set(openings)) >= 4, openings
    found = sentences(sections)
    assert len(found) == len(set(found))


def test_daily_texts_command_prints_json_without_storing(capsys):
    call_command("daily_texts", "--from", "2026-12-14", "--days", "2", "--language", "ru", "--json")
    texts = json.loads(capsys.readouterr().out)
    assert len(texts) == 24
    assert set(texts[0]) == {"sign", "date", "language", "tz", "text"}
    assert {t["date"] for t in texts} == {"2026-12-14", "2026-12-15"} and texts[0]["language"] == "ru"
    call_command(
        "daily_texts",
        "--from",
        "2026-12-14",
        "--language",
        "en",
        "--tz",
        "Asia/Vladivostok",
        "--sign",
        "pisces",
        "--json",
    )
    (one,) = json.loads(capsys.readouterr().out)
    assert one["sign"] == "pisces" and one["tz"] == "Asia/Vladivostok"
    sky = sky_of_day(date(2026, 12, 14), "Asia/Vladivostok")
    assert one["text"].replace("\n\n", " ") == " ".join(write_daily("pisces", sky, "en").values())


@pytest.mark.django_db
def test_daily_texts_command_stores_nothing(capsys):
    from horoscopes.daily.models import DailyHoroscope

    call_command("daily_texts", "--from", "2026-12-14", "--language", "en", "--json")
    assert DailyHoroscope.objects.count() == 0


@pytest.mark.parametrize(
    "arguments",
    [
        ["--from", "2026-13-01", "--language", "ru"],
        ["--from", "yesterday", "--language", "ru"],
        ["--from", "2026-12-01", "--days", "0", "--language", "ru"],
        ["--from", "2026-12-01", "--days", "5000", "--language", "ru"],
        ["--from", "2026-12-01", "--language", "ru", "--tz", "Mars/Olympus"],
        ["--from", "9999-12-30", "--days", "5", "--language", "en"],
    ],
)
def test_daily_texts_command_answers_bad_input_clearly(arguments):
    with pytest.raises(CommandError):
        call_command("daily_texts", *arguments)
