"""Case-insensitive search that works for any alphabet on every database we run on.

SQLite's LIKE and lower() fold ASCII letters only ("анна" never finds "Анна"); there the lookup compares
Python-casefolded values through a function registered on each new connection. PostgreSQL folds by itself.
"""

from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import CharField, TextField
from django.db.models.lookups import IContains

SQLITE_FUNCTION = "py_casefold"


def _casefold(value: object) -> str | None:
    return None if value is None else str(value).casefold()


class CasefoldContains(IContains):
    """`field__ci` : contains, ignoring case in every alphabet (used by the admin's search fields)."""

    lookup_name = "ci"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "sqlite":
            sql = f"{SQLITE_FUNCTION}({lhs_sql}) LIKE {SQLITE_FUNCTION}({rhs_sql}) ESCAPE '\\'"
        else:
            sql = f"UPPER({lhs_sql}) LIKE UPPER({rhs_sql})"
        return sql, (*lhs_params, *rhs_params)


def sqlite_functions_register(sender: object, connection: Any, **kwargs: object) -> None:
    """connection_created: give SQLite connections a Unicode-aware case fold."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, _casefold, deterministic=True)


def search_lookups_register() -> None:
    """Called once from the app config."""
    CharField.register_lookup(CasefoldContains)
    TextField.register_lookup(CasefoldContains)
    connection_created.connect(sqlite_functions_register, dispatch_uid="users.search.sqlite_functions")
