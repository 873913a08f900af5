"""The staff audit: what a staff member did to an object, on that object's admin history.

Every app records through here (it sits in the bottom layer so that any admin may call it); entries are
Django admin's own LogEntry rows, so the object's "History" page and the audit log page show them.
"""

from collections.abc import Iterable

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model


def audit_record(*, staff_id: int, obj: Model, message: str, flag: int = CHANGE) -> LogEntry:
    """Record one staff action on one object; message is plain text in the staff member's words."""
    return LogEntry.objects.create(
        user_id=staff_id,
        content_type_id=ContentType.objects.get_for_model(obj, for_concrete_model=False).pk,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=flag,
        change_message=message,
    )


def audit_record_many(*, staff_id: int, model: type[Model], pks: Iterable[object], message: str) -> int:
    """Record the same action on many objects of one model in one insert (bulk actions); returns the count."""
    content_type_id = ContentType.objects.get_for_model(model, for_concrete_model=False).pk
    entries = [
        LogEntry(
            user_id=staff_id,
            content_type_id=content_type_id,
            object_id=str(pk),
            object_repr=f"{model._meta.verbose_name} {pk}"[:200],
            action_flag=CHANGE,
            change_message=message,
        )
        for pk in pks
    ]
    LogEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)
