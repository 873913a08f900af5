"""Writes of the staff panel: the role groups kept in line with staff/roles.py, staff members' second factor."""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.roles import OWNER_EXCLUDED_APPS, OWNER_EXCLUDED_CODENAMES, ROLES, Role
from users.audit import audit_record


@dataclass
class RoleSync:
    """What one sync did: groups created, permissions added or removed, codenames not (yet) defined."""

    created: list[str] = field(default_factory=list)
    added: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def _key(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def _wanted(role: Role, known: dict[str, Permission], result: RoleSync) -> set[str]:
    if role.everything:
        return {
            name
            for name, permission in known.items()
            if permission.content_type.app_label not in OWNER_EXCLUDED_APPS
            and permission.codename not in OWNER_EXCLUDED_CODENAMES
        }
    wanted = set()
    for name in (*role.permissions, *role.pending):
        if name in known:
            wanted.add(name)
        elif name not in result.missing:
            result.missing.append(name)
    return wanted


def roles_sync(*, prune: bool = False, using: str = "default") -> RoleSync:
    """Create the role groups and add their permissions; with prune, also remove permissions not listed."""
    with transaction.atomic(using=using):
        result = _sync(prune=prune, using=using)
    return result


def _sync(*, prune: bool, using: str) -> RoleSync:
    result = RoleSync()
    known = {_key(p): p for p in Permission.objects.using(using).select_related("content_type")}
    for role in ROLES:
        group, created = Group.objects.using(using).get_or_create(name=role.name)
        if created:
            result.created.append(role.name)
        wanted = _wanted(role, known, result)
        current = {_key(p): p for p in group.permissions.select_related("content_type")}
        to_add = sorted(wanted - current.keys())
        if to_add:
            group.permissions.add(*(known[name] for name in to_add))
            result.added[role.name] = to_add
        if prune:
            to_remove = sorted(current.keys() - wanted)
            if to_remove:
                group.permissions.remove(*(current[name] for name in to_remove))
                result.removed[role.name] = to_remove
    return result


def otp_device_start(*, user: User) -> TOTPDevice:
    """The staff member's authenticator being set up: unconfirmed until they enter a code from it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=gettext("Authenticator app"), confirmed=False)


@transaction.atomic
def otp_device_confirm(*, user: User, token: str) -> TOTPDevice | None:
    """Confirm the device being set up with a code from it; the older ones go. None when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(staff_id=user.pk, obj=user, message=gettext("Set up a second factor (authenticator app)."))
    return device


@transaction.atomic
def otp_device_remove(*, user: User, by: User) -> int:
    """Remove a staff member's authenticators (theirs, or an owner for a lost phone); how many went."""
    count, _details = TOTPDevice.objects.filter(user=user).delete()
    if count:
        audit_record(staff_id=by.pk, obj=user, message=gettext("Removed the second factor (authenticator app)."))
    return count
