"""Support on a user: Premium granted or ended with a reason over any selection, messages, subscriptions, search."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from bot.models import TelegramUpdate, UpdateStatus
from tests.factories import SubscriptionFactory, TarotReadingFactory, TelegramUserFactory
from users.models import TelegramUser
from users.services import users_premium_grant, users_premium_revoke

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:users_telegramuser_changelist")


def change_url(user: TelegramUser) -> str:
    return reverse("admin:users_telegramuser_change", args=[user.pk])


@pytest.fixture
def boss(client):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    client.boss = admin
    return client


def history(user: TelegramUser) -> list[str]:
    return list(
        LogEntry.objects.filter(content_type__model="telegramuser", object_id=str(user.pk))
        .order_by("pk")
        .values_list("change_message", flat=True)
    )


@pytest.mark.parametrize("query", ["анна", "АННА", "иванова", "ANNA_IV", "@anna_iv"])
def test_search_ignores_case_in_cyrillic(boss, query):
    anna = TelegramUserFactory(username="Anna_Iv", first_name="Анна", last_name="Иванова")
    TelegramUserFactory(username="bob", first_name="Боб")

    response = boss.get(CHANGELIST, {"q": query})

    assert [user.pk for user in response.context["cl"].result_list] == [anna.pk]


def test_search_treats_like_wildcards_as_text(boss):
    TelegramUserFactory(first_name="Ан_на")
    TelegramUserFactory(first_name="Анна")

    response = boss.get(CHANGELIST, {"q": "н_н"})

    assert [user.first_name for user in response.context["cl"].result_list] == ["Ан_на"]


def test_select_all_across_pages_grants_on_the_filtered_queryset_without_posting_every_id(
    boss, django_assert_max_num_queries
):
    chosen = TelegramUserFactory.create_batch(120, source="promo")
    others = TelegramUserFactory.create_batch(5, source="other")
    page_ids = [user.pk for user in chosen[:50]]  # what the list page itself posts: its own rows
    url = f"{CHANGELIST}?source=promo"
    action = {"action": "premium_extend_action", "select_across": "1", "index": "0", "_selected_action": page_ids}

    form = boss.post(url, action)
    page = form.content.decode()
    assert form.status_code == 200
    assert page.count('name="_selected_action"') <= 50
    assert 'name="select_across" value="1"' in page and "source=promo" in page
    assert "120" in page

    key = form.context["form"]["submission_key"].value()
    apply = {**action, "apply": "1", "days": "7", "reason": "акция", "submission_key": key}
    with django_assert_max_num_queries(40):
        done = boss.post(url, apply, follow=True)
    assert "для 120 пользователей" in done.content.decode()
    assert TelegramUser.objects.filter(source="promo", premium_until__gt=timezone.now()).count() == 120
    assert not TelegramUser.objects.filter(pk__in=[user.pk for user in others], premium_until__isnull=False).exists()
    assert LogEntry.objects.filter(change_message="Premium granted for 7 days. Reason: акция").count() == 120


def test_grants_take_few_queries_however_many_users(django_assert_max_num_queries):
    TelegramUserFactory.create_batch(1000)
    staff = get_user_model().objects.create_user("s", is_staff=True)

    with django_assert_max_num_queries(15):  # two updates of 900 ids, one audit insert
        change = users_premium_grant(users=TelegramUser.objects.all(), days=3, staff_id=staff.pk, reason="r")

    assert len(change.user_ids) == 1000


def test_grant_extends_from_the_current_end_and_starts_today_otherwise():
    now = timezone.now()
    active = TelegramUserFactory(premium_until=now + timedelta(days=5))
    lapsed = TelegramUserFactory(premium_until=now - timedelta(days=5))
    never = TelegramUserFactory()
    staff = get_user_model().objects.create_user("s", is_staff=True)

    users_premium_grant(users=TelegramUser.objects.all(), days=10, staff_id=staff.pk, reason="r", now=now)

    active.refresh_from_db(), lapsed.refresh_from_db(), never.refresh_from_db()
    assert active.premium_until == now + timedelta(days=15)
    assert lapsed.premium_until == never.premium_until == now + timedelta(days=10)
    with pytest.raises(ValueError):
        users_premium_grant(users=TelegramUser.objects.all(), days=10, staff_id=staff.pk, reason="  ")


def test_revoke_ends_premium_with_a_reason_but_leaves_renewing_subscribers(boss):
    now = timezone.now()
    plain = TelegramUserFactory(premium=True, first_name="Вера")
    subscriber = TelegramUserFactory(premium=True)
    SubscriptionFactory(user=subscriber, expires_at=now + timedelta(days=20))
    without = TelegramUserFactory()
    action = {
        "action": "premium_revoke_action",
        "index": "0",
        "_selected_action": [plain.pk, subscriber.pk, without.pk],
    }

    form = boss.post(CHANGELIST, action)
    assert "отключите автопродление" in form.content.decode()
    key = form.context["form"]["submission_key"].value()
    done = boss.post(
        CHANGELIST, {**action, "apply": "1", "reason": "возврат через банк", "submission_key": key}, follow=True
    )

    page = done.content.decode()
    assert "Премиум завершён у 1 пользователя." in page
    assert "продлевается" in page
    plain.refresh_from_db(), subscriber.refresh_from_db()
    assert plain.premium_until <= timezone.now()
    assert subscriber.premium_until > timezone.now()
    assert history(plain) == ["Premium revoked. Reason: возврат через банк"]
    assert history(subscriber) == history(without) == []


def test_a_grant_on_the_users_page_shows_in_its_history_and_the_bot_tells_the_user(
    boss, bot_settings, django_capture_on_commit_callbacks
):
    user = TelegramUserFactory(first_name="Анна", language="ru")
    url = reverse("admin:users_telegramuser_premium_grant_detail", args=[user.pk])

    form = boss.get(url)
    assert form.status_code == 200
    key = form.context["form"]["submission_key"].value()
    data = {"days": "30", "reason": "компенсация за сбой", "notify": "on", "submission_key": key}
    with django_capture_on_commit_callbacks(execute=True):
        done = boss.post(url, data)
    with django_capture_on_commit_callbacks(execute=True):
        boss.post(url, data)  # a double click

    assert done.status_code == 302 and done["Location"] == change_url(user)
    user.refresh_from_db()
    assert timezone.now() + timedelta(days=29) < user.premium_until <= timezone.now() + timedelta(days=30)
    history_page = boss.get(reverse("admin:users_telegramuser_history", args=[user.pk])).content.decode()
    assert "Premium granted for 30 days. Reason: компенсация за сбой" in history_page
    [told] = bot_settings.calls_to("sendMessage")
    assert told.params["chat_id"] == user.telegram_id and "30 дн. Премиума" in told.params["text"]


def test_the_reason_form_refuses_bad_input_without_an_error_page(boss):
    user = TelegramUserFactory()
    url = reverse("admin:users_telegramuser_premium_grant_detail", args=[user.pk])

    for data in ({"days": "abc", "reason": "x"}, {"days": "99999", "reason": "x"}, {"days": "3", "reason": ""}, {}):
        response = boss.post(url, data)
        assert response.status_code == 200 and response.context["form"].errors
    assert boss.get(reverse("admin:users_telegramuser_premium_grant_detail", args=[999999])).status_code == 404
    user.refresh_from_db()
    assert user.premium_until is None


def test_staff_without_change_permission_cannot_grant(client):
    viewer = get_user_model().objects.create_user("viewer", password="pw", is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_telegramuser"))
    client.force_login(viewer)
    user = TelegramUserFactory()

    url = reverse("admin:users_telegramuser_premium_grant_detail", args=[user.pk])
    assert client.post(url, {"days": "3", "reason": "x", "submission_key": "k"}).status_code == 403
    assert (
        client.post(reverse("admin:users_telegramuser_message_detail", args=[user.pk]), {"text": "hi"}).status_code
        == 403
    )
    user.refresh_from_db()
    assert user.premium_until is None


def test_staff_send_a_message_once_through_the_worker(boss, bot_settings, django_capture_on_commit_callbacks):
    user = TelegramUserFactory(first_name="Анна")
    url = reverse("admin:users_telegramuser_message_detail", args=[user.pk])
    key = boss.get(url).context["form"]["submission_key"].value()
    data = {"text": "Здравствуйте! Деньги <вернули>.", "submission_key": key}

    with django_capture_on_commit_callbacks(execute=True):
        sent = boss.post(url, data)
    with django_capture_on_commit_callbacks(execute=True):
        boss.post(url, data)  # replayed

    assert sent.status_code == 302
    [call] = bot_settings.calls_to("sendMessage")
    assert call.params["chat_id"] == user.telegram_id
    assert call.params["text"] == "Здравствуйте! Деньги &lt;вернули&gt;."
    assert history(user) == ["Message sent: Здравствуйте! Деньги <вернули>."]
    assert boss.post(url, {"text": "   ", "submission_key": "other"}).status_code == 200


def test_cancel_a_users_subscription_from_their_page(boss, bot_settings):
    user = TelegramUserFactory(premium=True)
    subscription = SubscriptionFactory(user=user, expires_at=timezone.now() + timedelta(days=20))
    url = reverse("admin:users_telegramuser_subscriptions_detail", args=[user.pk])

    page = boss.get(url)
    assert page.status_code == 200 and "Отключить автопродление" in page.content.decode()
    boss.post(url, {"subscription": str(subscription.pk)})
    boss.post(url, {"subscription": str(subscription.pk)})  # a double click
    assert boss.post(url, {"subscription": "nope"}).status_code == 302

    subscription.refresh_from_db()
    assert subscription.canceled_at is not None
    [call] = bot_settings.calls_to("editUserStarSubscription")
    assert call.params["is_canceled"] is True
    assert history(user) == [f"Auto-renewal of Stars subscription #{subscription.pk} turned off."]


def test_someone_elses_subscription_cannot_be_cancelled_from_this_page(boss, bot_settings):
    user, other = TelegramUserFactory(), TelegramUserFactory()
    subscription = SubscriptionFactory(user=other, expires_at=timezone.now() + timedelta(days=20))

    boss.post(
        reverse("admin:users_telegramuser_subscriptions_detail", args=[user.pk]), {"subscription": subscription.pk}
    )

    subscription.refresh_from_db()
    assert subscription.canceled_at is None and bot_settings.calls_to("editUserStarSubscription") == []


def test_the_users_page_links_the_chat_and_pages_long_lists(boss):
    user = TelegramUserFactory(
        username="anna_iv", birth_utc=datetime(1990, 3, 15, 9, 30, tzinfo=UTC), birth_tz="Asia/Yekaterinburg"
    )
    TarotReadingFactory.create_batch(35, user=user)

    page = boss.get(change_url(user)).content.decode()

    assert f"tg://user?id={user.telegram_id}" in page and "https://t.me/anna_iv" in page
    assert "1990-03-15 09:30 UTC" in page  # the UTC field really in UTC, the local time on hover
    assert 'title="1990-03-15 14:30 Asia/Yekaterinburg"' in page
    assert page.count(reverse("admin:horoscopes_tarotreading_change", args=[1]).rsplit("/", 3)[0]) >= 10
    assert f"{reverse('admin:horoscopes_tarotreading_changelist')}?user__id__exact={user.pk}" in page
    readings_rows = page.count("/admin/horoscopes/tarotreading/") - 1  # minus the "all records" link
    assert readings_rows <= 12


def test_times_show_utc_on_hover(boss):
    seen = datetime(2026, 3, 1, 9, 5, 7, 123456, tzinfo=UTC)
    TelegramUserFactory(first_seen_at=seen)

    page = boss.get(CHANGELIST).content.decode()

    assert 'title="2026-03-01 09:05:07 UTC">2026-03-01 12:05</span>' in page


def test_a_failed_update_links_to_its_user(boss):
    user = TelegramUserFactory()
    TelegramUpdate.objects.create(
        update_id=77,
        status=UpdateStatus.FAILED,
        kind="callback_query",
        chat_id=user.telegram_id,
        started_at=timezone.now(),
    )

    listing = boss.get(reverse("admin:bot_telegramupdate_changelist")).content.decode()
    detail = boss.get(
        reverse("admin:bot_telegramupdate_change", args=[TelegramUpdate.objects.get().pk])
    ).content.decode()

    assert change_url(user) in listing and change_url(user) in detail
    assert "нажатие кнопки" in listing


def test_revoke_service_skips_users_without_premium():
    staff = get_user_model().objects.create_user("s", is_staff=True)
    TelegramUserFactory(premium_for=timedelta(days=-3))

    change = users_premium_revoke(users=TelegramUser.objects.all(), staff_id=staff.pk, reason="r")

    assert change.user_ids == [] and LogEntry.objects.count() == 0


def test_media_files_are_served_in_development(client, settings, tmp_path):
    import importlib

    from django.urls import clear_url_caches

    import config.urls

    (tmp_path / "tarot").mkdir()
    (tmp_path / "tarot" / "card.txt").write_text("picture")
    settings.MEDIA_ROOT = str(tmp_path)
    try:
        settings.DEBUG = True
        importlib.reload(config.urls)
        clear_url_caches()
        assert b"".join(client.get("/media/tarot/card.txt").streaming_content) == b"picture"
        settings.DEBUG = False
        importlib.reload(config.urls)
        clear_url_caches()
        assert client.get("/media/tarot/card.txt").status_code == 404
    finally:
        importlib.reload(config.urls)
        clear_url_caches()


def test_all_records_links_open_the_filtered_lists(boss):
    user, other = TelegramUserFactory(), TelegramUserFactory()
    TarotReadingFactory.create_batch(3, user=user)
    TarotReadingFactory(user=other)

    for name in ("payments_payment", "payments_subscription", "horoscopes_tarotreading", "horoscopes_pushdelivery"):
        response = boss.get(reverse(f"admin:{name}_changelist"), {"user__id__exact": user.pk})
        assert response.status_code == 200, name
        assert all(row.user_id == user.pk for row in response.context["cl"].result_list), name
    readings = boss.get(reverse("admin:horoscopes_tarotreading_changelist"), {"user__id__exact": user.pk})
    assert len(readings.context["cl"].result_list) == 3


def test_old_staff_form_keys_are_pruned():
    from users.models import StaffSubmission
    from users.services import staff_submissions_prune

    StaffSubmission.objects.create(key="old", created_at=timezone.now() - timedelta(days=8))
    StaffSubmission.objects.create(key="new")

    assert staff_submissions_prune() == 1
    assert list(StaffSubmission.objects.values_list("key", flat=True)) == ["new"]


def test_after_a_revoke_the_bot_no_longer_counts_the_user_as_premium():
    from payments.selectors import user_is_premium

    staff = get_user_model().objects.create_user("s", is_staff=True)
    user = TelegramUserFactory(premium=True)

    users_premium_revoke(users=TelegramUser.objects.filter(pk=user.pk), staff_id=staff.pk, reason="r")

    user.refresh_from_db()
    assert not user_is_premium(user)
