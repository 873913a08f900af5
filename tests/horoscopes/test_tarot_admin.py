"""Tarot in the staff panel: the deck (texts, own pictures, preview), readings and daily counts."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from PIL import Image

from horoscopes.tarot import DrawnCard
from horoscopes.tarot.models import TarotCard, TarotImage
from horoscopes.tarot.render import spread_image
from horoscopes.tarot.seed import tarot_deck_seed
from horoscopes.tarot.selectors import tarot_card_pictures, tarot_image_key, tarot_picture_versions
from horoscopes.tarot.services import tarot_day_card_draw, tarot_reading_draw
from tests.factories import TelegramUserFactory

pytestmark = pytest.mark.django_db
RED = (200, 20, 20)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def deck():
    tarot_deck_seed()


def red_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 700), RED).save(buffer, format="PNG")
    return buffer.getvalue()


def image_at(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def test_deck_list_shows_all_78_cards(admin_client, deck):
    response = admin_client.get("/admin/horoscopes/tarotcard/")
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 78  # one page, the whole deck
    assert "Верховная Жрица".encode() in response.content
    assert admin_client.get("/admin/horoscopes/tarotcard/add/").status_code == 403


def test_card_page_previews_the_card_in_both_languages(admin_client, deck):
    card = TarotCard.objects.get(key="the_star")
    response = admin_client.get(f"/admin/horoscopes/tarotcard/{card.pk}/change/")
    assert response.status_code == 200
    for lang in ("ru", "en"):
        for orientation in ("upright", "reversed"):
            assert f"/admin/horoscopes/tarotcard/{card.pk}/picture/{lang}/{orientation}/".encode() in response.content

    picture = admin_client.get(f"/admin/horoscopes/tarotcard/{card.pk}/picture/en/reversed/?size=small")
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert image_at(picture.content).size == (120, 210)
    assert admin_client.get(f"/admin/horoscopes/tarotcard/{card.pk}/picture/de/upright/").status_code == 404


def test_staff_edit_texts_and_upload_a_picture_that_replaces_the_drawn_face(admin_client, deck):
    card = TarotCard.objects.get(key="the_star")
    key = tarot_image_key(kind="day", cards=[DrawnCard("the_star", False, 0)], lang="ru", versions={})
    TarotImage.objects.create(key=key, file_id="OLD")
    data = {k: v for k, v in model_to_dict(card).items() if v is not None and k != "image"}
    data.update(name_ru="Звезда надежды", image=SimpleUploadedFile("star.png", red_png(), content_type="image/png"))

    response = admin_client.post(f"/admin/horoscopes/tarotcard/{card.pk}/change/", data)

    assert response.status_code == 302, response.content[:2000]
    card.refresh_from_db()
    assert card.name_ru == "Звезда надежды" and card.image and card.image_version == 1
    versions = tarot_picture_versions(["the_star"])
    assert tarot_image_key(kind="day", cards=[DrawnCard("the_star", False, 0)], lang="ru", versions=versions) != key
    preview = image_at(admin_client.get(f"/admin/horoscopes/tarotcard/{card.pk}/picture/ru/upright/").content)
    assert preview.getpixel((160, 280)) == RED
    # A spread with this card shows the uploaded picture in the card's place.
    custom = {k: p.data for k, p in tarot_card_pictures(["the_star"]).items()}
    spread = image_at(spread_image("day", [DrawnCard("the_star", False, 0)], lang="ru", custom=custom))
    centre = spread.getpixel((spread.width // 2, spread.height // 2))
    assert all(abs(a - b) < 30 for a, b in zip(centre, RED, strict=True))

    # Saving again without touching the picture keeps its version (and the sent file ids).
    data.pop("image")
    admin_client.post(f"/admin/horoscopes/tarotcard/{card.pk}/change/", data)
    card.refresh_from_db()
    assert card.image_version == 1


def test_a_broken_upload_is_refused(admin_client, deck):
    card = TarotCard.objects.get(key="the_sun")
    data = {k: v for k, v in model_to_dict(card).items() if v is not None and k != "image"}
    data["image"] = SimpleUploadedFile("sun.png", b"not an image", content_type="image/png")
    response = admin_client.post(f"/admin/horoscopes/tarotcard/{card.pk}/change/", data)
    assert response.status_code == 200  # the form comes back with an error
    card.refresh_from_db()
    assert not card.image


def test_readings_list_detail_and_picture(admin_client, deck):
    user = TelegramUserFactory(telegram_id=9, username="reader")
    reading = tarot_reading_draw(
        user_id=user.pk, kind="three", question="Что ждёт <меня>?", idempotency_key="k", local_date=date(2026, 1, 1)
    ).reading
    tarot_day_card_draw(user_id=user.pk, local_date=date(2026, 1, 1))

    listing = admin_client.get("/admin/horoscopes/tarotreading/?kind__exact=three")
    assert listing.status_code == 200
    assert "В этой выборке:".encode() in listing.content or b"In this selection:" in listing.content
    assert "Что ждёт &lt;меня&gt;?".encode() in listing.content
    assert admin_client.get(f"/admin/horoscopes/tarotreading/?user__id__exact={user.pk}").status_code == 200
    assert admin_client.get("/admin/horoscopes/tarotreading/?q=reader").status_code == 200

    detail = admin_client.get(f"/admin/horoscopes/tarotreading/{reading.pk}/change/")
    assert detail.status_code == 200
    assert f"/admin/horoscopes/tarotreading/{reading.pk}/picture/".encode() in detail.content
    picture = admin_client.get(f"/admin/horoscopes/tarotreading/{reading.pk}/picture/")
    assert picture.status_code == 200 and picture.content.startswith(b"\xff\xd8")
    assert admin_client.get("/admin/horoscopes/tarotreading/add/").status_code == 403


def test_daily_counts_list(admin_client):
    user = TelegramUserFactory(telegram_id=9)
    tarot_reading_draw(user_id=user.pk, kind="three", idempotency_key="k", local_date=date(2026, 1, 1))
    response = admin_client.get("/admin/horoscopes/tarotdailycount/")
    assert response.status_code == 200
    assert response.context["tarot_totals"][0][1] == 1


def test_card_picture_for_a_missing_card_is_404(admin_client):
    assert admin_client.get("/admin/horoscopes/tarotcard/999/picture/ru/upright/").status_code == 404
    assert admin_client.get("/admin/horoscopes/tarotreading/999/picture/").status_code == 404


def test_the_users_page_lists_their_readings(admin_client):
    user = TelegramUserFactory(telegram_id=9)
    tarot_reading_draw(user_id=user.pk, kind="three", question="Про работу", idempotency_key="k")

    response = admin_client.get(f"/admin/users/telegramuser/{user.pk}/change/")

    assert response.status_code == 200
    assert "Про работу".encode() in response.content
