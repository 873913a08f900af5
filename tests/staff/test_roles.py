"""Roles: four groups from staff/roles.py, kept by sync_roles without undoing what an owner added by hand."""

import dataclasses
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from staff import roles, services
from staff.roles import ROLES
from staff.services import roles_sync

pytestmark = pytest.mark.django_db


def perms(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_migrate_leaves_the_four_roles_with_their_permissions():
    # The post_migrate hook ran when the test database was made.
    assert {r.name for r in ROLES} <= set(Group.objects.values_list("name", flat=True))
    support, content, marketing, owner = (perms(n) for n in ("Support", "Content", "Marketing", "Owner"))

    assert {"users.change_telegramuser", "payments.change_payment", "bot.replay_telegramupdate"} <= support
    assert "horoscopes.change_dailyhoroscope" not in support
    assert {"horoscopes.change_dailyhoroscope", "horoscopes.change_prompt", "horoscopes.change_tarotcard"} <= content
    assert not {p for p in content if p.startswith(("users.", "payments."))}
    assert "users.view_telegramuser" not in marketing and "payments.view_payment" in marketing
    assert {"auth.change_user", "admin.view_logentry", "otp_totp.delete_totpdevice"} <= owner
    assert not {p for p in owner if p.startswith("django_q.")}
    assert "admin.change_logentry" not in owner


def test_sync_is_idempotent_keeps_hand_added_permissions_and_prunes_only_when_asked():
    extra = Permission.objects.get(codename="view_generationlog")
    Group.objects.get(name="Support").permissions.add(extra)
    Group.objects.get(name="Content").permissions.remove(Permission.objects.get(codename="change_tarotcard"))

    out = io.StringIO()
    call_command("sync_roles", stdout=out)
    again = io.StringIO()
    call_command("sync_roles", stdout=again)

    assert "Role Content: added horoscopes.change_tarotcard" in out.getvalue()
    assert "Roles: up to date." in again.getvalue()
    assert "horoscopes.view_generationlog" in perms("Support")

    pruned = roles_sync(prune=True)
    assert pruned.removed == {"Support": ["horoscopes.view_generationlog"]}
    assert "horoscopes.view_generationlog" not in perms("Support")


def test_permissions_of_apps_not_installed_yet_are_skipped_with_a_warning(monkeypatch):
    Group.objects.all().delete()
    marketing = dataclasses.replace(roles.MARKETING, pending=("campaigns.add_campaign",))
    monkeypatch.setattr(roles, "ROLES", (roles.SUPPORT, roles.CONTENT, marketing, roles.OWNER))
    monkeypatch.setattr(services, "ROLES", roles.ROLES)
    out = io.StringIO()

    call_command("sync_roles", stdout=out)

    text = out.getvalue()
    assert "Role created: Support" in text and "Role created: Owner" in text
    assert "Skipped campaigns.add_campaign" in text


def test_roles_list_shows_translated_labels(admin_client):
    page = admin_client.get(reverse("admin:auth_group_changelist"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Поддержка" in body and "Контент" in body and "Маркетинг" in body and "Владелец" in body


def test_an_owner_manages_staff_but_cannot_make_or_change_superusers(client, staff, django_user_model):
    owner = staff("owner", groups=("Owner",))
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw-root-123456")
    helper = staff("helper")
    client.force_login(owner)

    own_page = client.get(reverse("admin:auth_user_change", args=[helper.pk]))
    root_page = client.get(reverse("admin:auth_user_change", args=[root.pk]))
    client.post(
        reverse("admin:auth_user_change", args=[helper.pk]),
        {
            "username": "helper",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00",
        },
    )
    password = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "taken-over-1234567", "password2": "taken-over-1234567"},
    )

    assert own_page.status_code == 200
    assert 'name="is_superuser"' not in own_page.content.decode()
    assert 'name="user_permissions"' in own_page.content.decode()
    assert "django_q" not in own_page.content.decode()
    helper.refresh_from_db()
    root.refresh_from_db()
    assert not helper.is_superuser
    assert password.status_code == 403 and root.check_password("pw-root-123456")
    assert root_page.status_code in (200, 403) and 'name="password1"' not in root_page.content.decode()
    assert client.get(reverse("admin:django_q_schedule_changelist")).status_code == 403
