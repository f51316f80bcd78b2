"""Set-based inserts with their audit rows, for imports and demo data of tens of thousands of rows.

`bulk_create` (and simple-history's `bulk_create_with_history`) prepares every value of every object
in Python, which costs more than the database does; for 20,000 residents and their 20,000 history
rows that was most of an import. Here the rows arrive as plain tuples and go to the database with
`executemany`, the history rows ('+', with user, time and reason) alongside, in the same transaction.
"""

from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.utils import timezone

BATCH = 5000


def _converter(field: models.Field):
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None


def _executemany(model, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """SQLite runs `executemany` in C; on PostgreSQL the rows go through COPY (psycopg's client-side
    cursor would otherwise send a statement per row, or quote huge parameter lists in Python)."""
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _prepared(model, columns: Sequence[str], rows: list[tuple]) -> list[tuple]:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    converters = [(i, c) for i, name in enumerate(columns) if (c := _converter(fields[name]))]
    if not converters:
        return rows
    prepared = []
    for row in rows:
        row = list(row)
        for i, convert in converters:
            if row[i] is not None:
                row[i] = convert(row[i])
        prepared.append(tuple(row))
    return prepared


def insert_with_history(model: type[models.Model], columns: Sequence[str], rows: list[tuple], *,
                        key: str | tuple[str, ...], scope: models.QuerySet, user=None, reason: str = "") -> dict:
    """INSERT `rows` (values of `columns`, attnames, no primary key) and one '+' history row each.

    `key` names a column (or columns) unique within `scope` (a queryset of the model): the new primary
    keys are read back through it. Returns key value → primary key of the inserted rows.
    """
    if not rows:
        return {}
    prepared = _prepared(model, columns, rows)
    # Primary keys only grow, so the new rows are those above the largest key before the insert: reading them
    # back by a range of keys costs far less than by IN lists of thousands of values.
    before = model._base_manager.aggregate(last=models.Max("pk"))["last"] or 0
    _executemany(model, columns, prepared)
    names = (key,) if isinstance(key, str) else key
    at = [list(columns).index(name) for name in names]
    keys = [row[at[0]] if len(at) == 1 else tuple(row[i] for i in at) for row in rows]
    wanted = set(keys)
    pks = {}
    for found in scope.filter(pk__gt=before).values_list(*names, "pk").iterator(chunk_size=BATCH):
        found_key = found[0] if len(names) == 1 else tuple(found[:-1])
        if found_key in wanted:  # another clerk's rows may have come in meanwhile
            pks[found_key] = found[-1]

    history = model.history.model
    fixed = {"history_date": connection.ops.adapt_datetimefield_value(timezone.now()),
             "history_change_reason": reason or None, "history_type": "+",
             "history_user_id": getattr(user, "pk", None)}
    history_columns = [f.attname for f in history._meta.concrete_fields if f.attname != "history_id"]
    position = {name: i for i, name in enumerate(columns)}
    pk_name = model._meta.pk.attname

    def history_rows():
        for row, key_value in zip(prepared, keys, strict=True):
            yield tuple(pks[key_value] if name == pk_name else fixed[name] if name in fixed else row[position[name]]
                        for name in history_columns)

    _executemany(history, history_columns, history_rows())
    return pks
