"""The daily horoscopes' admin in a real browser: the readers' offset group is listed, filtered and shown."""

from datetime import date

import pytest

from horoscopes.daily import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = date(2027, 7, 3)


def test_editor_sees_and_filters_the_offset_group(page, staff, login):
    moscow = services.daily_read(sign="leo", day=DAY, language="ru", tz="Europe/Moscow")
    vladivostok = services.daily_read(sign="leo", day=DAY, language="ru", tz="Asia/Vladivostok")
    staff("editor", "horoscopes.view_dailyhoroscope", "horoscopes.change_dailyhoroscope")
    login(page, "editor")

    page.goto("/admin/horoscopes/dailyhoroscope/")
    listing = page.locator("#result_list").inner_text()
    assert "Группа часовых поясов" in listing or "группа часовых поясов" in listing.lower()
    assert "UTC+03:00" in listing and "UTC+10:00" in listing

    page.goto("/admin/horoscopes/dailyhoroscope/?utc_offset=600")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "UTC+10:00" in rows.first.inner_text()

    page.goto(f"/admin/horoscopes/dailyhoroscope/{vladivostok.pk}/change/")
    assert "UTC+10:00" in page.locator("#dailyhoroscope_form").inner_text()
    assert moscow.pk != vladivostok.pk
