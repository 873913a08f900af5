"""Country names in the user's language, from the Unicode CLDR data that Babel ships."""

from functools import lru_cache

from babel import Locale, UnknownLocaleError

# CLDR's standard names where people say it shorter.
SHORTER = {
    "ru": {"US": "США", "HK": "Гонконг", "MO": "Макао", "AX": "Аландские острова"},
    "en": {"HK": "Hong Kong", "MO": "Macao", "US": "USA"},
}


@lru_cache(maxsize=4)
def _territories(lang: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(lang).territories)
    except (UnknownLocaleError, ValueError):
        return dict(Locale.parse("en").territories)


def country_name(code: str, lang: str) -> str:
    """ "Россия" / "Russia" for "RU"; the code itself when it names no country (an empty one stays empty)."""
    code = (code or "").upper()
    if not code:
        return ""
    lang = "ru" if lang == "ru" else "en"
    return SHORTER[lang].get(code) or _territories(lang).get(code) or code


# GeoNames has no Russian names for these regions; without them a Russian label could not tell one
# Springfield from another.
REGIONS_RU = {
    "US": {
        "Alabama": "Алабама",
        "Alaska": "Аляска",
        "Arizona": "Аризона",
        "Arkansas": "Арканзас",
        "California": "Калифорния",
        "Colorado": "Колорадо",
        "Connecticut": "Коннектикут",
        "Delaware": "Делавэр",
        "District of Columbia": "Округ Колумбия",
        "Florida": "Флорида",
        "Georgia": "Джорджия",
        "Hawaii": "Гавайи",
        "Idaho": "Айдахо",
        "Illinois": "Иллинойс",
        "Indiana": "Индиана",
        "Iowa": "Айова",
        "Kansas": "Канзас",
        "Kentucky": "Кентукки",
        "Louisiana": "Луизиана",
        "Maine": "Мэн",
        "Maryland": "Мэриленд",
        "Massachusetts": "Массачусетс",
        "Michigan": "Мичиган",
        "Minnesota": "Миннесота",
        "Mississippi": "Миссисипи",
        "Missouri": "Миссури",
        "Montana": "Монтана",
        "Nebraska": "Небраска",
        "Nevada": "Невада",
        "New Hampshire": "Нью-Гэмпшир",
        "New Jersey": "Нью-Джерси",
        "New Mexico": "Нью-Мексико",
        "New York": "Нью-Йорк",
        "North Carolina": "Северная Каролина",
        "North Dakota": "Северная Дакота",
        "Ohio": "Огайо",
        "Oklahoma": "Оклахома",
        "Oregon": "Орегон",
        "Pennsylvania": "Пенсильвания",
        "Rhode Island": "Род-Айленд",
        "South Carolina": "Южная Каролина",
        "South Dakota": "Южная Дакота",
        "Tennessee": "Теннесси",
        "Texas": "Техас",
        "Utah": "Юта",
        "Vermont": "Вермонт",
        "Virginia": "Виргиния",
        "Washington": "Вашингтон",
        "West Virginia": "Западная Виргиния",
        "Wisconsin": "Висконсин",
        "Wyoming": "Вайоминг",
    },
    "CA": {
        "Alberta": "Альберта",
        "British Columbia": "Британская Колумбия",
        "Manitoba": "Манитоба",
        "New Brunswick": "Нью-Брансуик",
        "Newfoundland and Labrador": "Ньюфаундленд и Лабрадор",
        "Northwest Territories": "Северо-Западные территории",
        "Nova Scotia": "Новая Шотландия",
        "Ontario": "Онтарио",
        "Prince Edward Island": "Остров Принца Эдуарда",
        "Quebec": "Квебек",
        "Saskatchewan": "Саскачеван",
        "Yukon": "Юкон",
    },
}


def region_name_ru(country: str, region_en: str) -> str:
    """A Russian name for a region GeoNames names only in Latin letters, or ""."""
    return REGIONS_RU.get(country, {}).get(region_en, "")
