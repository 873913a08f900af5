from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, Permission, User

PASSWORD = "a-long-staff-password-42"


def staff_member(username: str, *permissions: str, groups: tuple[str, ...] = ()) -> User:
    """A staff account holding exactly the given permissions ("app_label.codename") and role groups."""
    user = User.objects.create_user(username, f"{username}@example.com", PASSWORD, is_staff=True)
    for name in permissions:
        app_label, codename = name.split(".", 1)
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def staff() -> Callable[..., User]:
    return staff_member
