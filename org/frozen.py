"""Rows that become final: the project's one immutability mechanism (docs/architecture.md#immutability).

A model built on `FrozenModel` declares once, in `freeze = Freeze(...)`, when its rows are final: always (the
audit trail, the election record), by a field of their own (a published disclosure item, a certified election,
a complete handover list) or by a row they belong to (a ballot of a certified election, an item of a complete
handover list). Every guard is built from that declaration:
- the model's save() and delete(), where the stored row decides, never the one in memory;
- `FrozenQuerySet`'s update(), delete(), bulk_update() and bulk_create(), which never call save() or delete();
- database triggers (`install_triggers`, from OrgConfig.ready): on PostgreSQL every write below the application,
  raw SQL included; on SQLite updates of rows final by their own fields (`install_sqlite_triggers`).
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import pgtrigger
from django.apps import apps
from django.db import connections, models

# Parent ids are checked in chunks: a bulk insert of a whole election's marks names a hundred thousand ballots.
CHUNK = 5000


@dataclass(frozen=True)
class Freeze:
    """When a model's rows are final, and what a refused change raises."""

    name: str  # the prefix of its database triggers
    refusal: Callable[[], Exception]
    # A lookup from the row to what makes it final: "status", "election__status", "handover__completed_at__isnull";
    # empty for rows final once written (append-only).
    when: str = ""
    value: Any = True
    # Fields a final row may still change: what is recorded after it became final (a certified result's publication).
    mutable: tuple[str, ...] = ()
    never_deleted: bool = False

    @property
    def lookup(self) -> dict:
        return {self.when: self.value} if self.when else {}


@dataclass(frozen=True)
class Route:
    """A freeze's lookup resolved on its model: the foreign keys to follow, then the deciding column."""

    hops: tuple[models.ForeignKey, ...]
    column: models.Field
    isnull: bool  # the lookup is `<field>__isnull`

    @property
    def parent_lookup(self) -> str:
        """The lookup as seen from the first row the route reaches (for a new row's parent)."""
        return "__".join([h.name for h in self.hops[1:]] + [self.column.name] + (["isnull"] if self.isnull else []))


@functools.cache
def route(model, freeze: Freeze) -> Route | None:
    """The freeze's lookup resolved on `model` (None for rows final once written)."""
    if not freeze.when:
        return None
    parts, hops, current = freeze.when.split("__"), [], model
    isnull = parts[-1] == "isnull"
    if isnull:
        parts = parts[:-1]
    for part in parts[:-1]:
        field = current._meta.get_field(part)
        hops.append(field)
        current = field.related_model
    return Route(tuple(hops), current._meta.get_field(parts[-1]), isnull)


def _any_final_parent(model, freeze: Freeze, objs: Iterable) -> bool:
    """Whether any of these rows (new or moved) belongs to a final row: for freezes through a foreign key."""
    path = route(model, freeze)
    first = path.hops[0]
    ids = list({getattr(obj, first.attname) for obj in objs} - {None})
    parents = first.related_model._base_manager
    return any(parents.filter(pk__in=ids[i:i + CHUNK], **{path.parent_lookup: freeze.value}).exists()
               for i in range(0, len(ids), CHUNK))


def _changed_fields(stored, obj) -> set[str]:
    return {f.name for f in obj._meta.concrete_fields if getattr(stored, f.attname) != getattr(obj, f.attname)}


class FrozenModel(models.Model):
    """A model whose rows become final, as its `freeze` declares."""

    freeze: ClassVar[Freeze]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_final()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_final(deleting=True)
        return super().delete(*args, **kwargs)

    def _refuse_if_final(self, *, deleting: bool = False) -> None:
        model, freeze = type(self), self.freeze
        if deleting and freeze.never_deleted:
            raise freeze.refusal()
        path = route(model, freeze)
        # A row put under (or moved to) a final row changes that row too.
        if path and path.hops and not deleting and _any_final_parent(model, freeze, [self]):
            raise freeze.refusal()
        if self.pk is None:
            return
        # A new instance given a stored row's key would overwrite it: the stored row decides here too.
        stored = model._base_manager.filter(pk=self.pk, **freeze.lookup).first()
        if stored is None:
            return
        if deleting or not freeze.mutable or _changed_fields(stored, self) - set(freeze.mutable):
            raise freeze.refusal()


class FrozenQuerySet(models.QuerySet):
    """The bulk guard of a FrozenModel: refused when any row it touches (or would create under) is final."""

    def _refuse_if_final(self, queryset, fields: Iterable[str] = ()) -> None:
        freeze = self.model.freeze
        if fields and freeze.mutable and set(fields) <= set(freeze.mutable):
            return
        if not freeze.when or queryset.filter(**freeze.lookup).exists():
            raise freeze.refusal()

    def update(self, **kwargs):
        self._refuse_if_final(self, kwargs)
        path = route(self.model, self.model.freeze)
        if path and path.hops and {path.hops[0].name, path.hops[0].attname} & set(kwargs):
            moved = self.model(**{k: v for k, v in kwargs.items() if k in {path.hops[0].name, path.hops[0].attname}})
            if _any_final_parent(self.model, self.model.freeze, [moved]):
                raise self.model.freeze.refusal()
        return super().update(**kwargs)

    def delete(self):
        if self.model.freeze.never_deleted and self.exists():
            raise self.model.freeze.refusal()
        self._refuse_if_final(self)
        return super().delete()

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        self._refuse_if_final(self.filter(pk__in=[o.pk for o in objs]), fields)
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs, *args, **kwargs):
        objs, model = list(objs), self.model
        path = route(model, model.freeze)
        if path and path.hops:
            if _any_final_parent(model, model.freeze, objs):
                raise model.freeze.refusal()
        elif any(o.pk is not None for o in objs):
            # Rows of their own with a primary key may overwrite stored ones (update_conflicts).
            self._refuse_if_final(self.filter(pk__in=[o.pk for o in objs if o.pk is not None]))
        return super().bulk_create(objs, *args, **kwargs)


def frozen_models() -> list:
    return [m for m in apps.get_models() if issubclass(m, FrozenModel)]


def _sql_value(value) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _final_condition(path: Route, value, alias: str) -> str:
    column = f"{alias}.{path.column.column}"
    if path.isnull:
        return f"{column} IS NULL" if value else f"{column} IS NOT NULL"
    return f"{column} = {_sql_value(value)}"


def _protect(freeze: Freeze, model, path: Route | None) -> list[pgtrigger.Trigger]:
    """Row triggers for rows final by their own fields (or always): a final row is never updated or deleted."""
    final = pgtrigger.Q(**{f"old__{freeze.when}": freeze.value}) if path else None
    if not freeze.mutable and not freeze.never_deleted:
        return [pgtrigger.Protect(name=freeze.name, operation=pgtrigger.Update | pgtrigger.Delete, condition=final)]
    changed = None
    for field in model._meta.concrete_fields:
        if field.name not in freeze.mutable:
            differs = pgtrigger.Q(**{f"new__{field.attname}__df": pgtrigger.F(f"old__{field.attname}")})
            changed = differs if changed is None else changed | differs
    update = final & changed if final is not None else changed
    delete = None if freeze.never_deleted else final
    return [pgtrigger.Protect(name=f"{freeze.name}_upd", operation=pgtrigger.Update, condition=update),
            pgtrigger.Protect(name=f"{freeze.name}_del", operation=pgtrigger.Delete, condition=delete)]


def _through_parent(freeze: Freeze, model, path: Route) -> list[pgtrigger.Trigger]:
    """Statement triggers for rows final by a row they belong to: one set-based check per statement, so a bulk
    insert of a whole election's marks costs one join instead of a lookup per row."""
    joins, previous = [], "r"
    for n, hop in enumerate(path.hops, 1):
        joins.append(f"JOIN {hop.related_model._meta.db_table} j{n} ON j{n}.{hop.target_field.column} = "
                     f"{previous}.{hop.column}")
        previous = f"j{n}"
    where = _final_condition(path, freeze.value, previous)

    def check(table: str) -> str:
        return (f"IF EXISTS (SELECT 1 FROM {table} r {' '.join(joins)} WHERE {where}) THEN "
                f"RAISE EXCEPTION 'juwei: {freeze.name}: % refused on %, the row is final', TG_OP, TG_TABLE_NAME; "
                "END IF;")

    def trigger(suffix, operation, referencing, tables):
        return pgtrigger.Trigger(name=f"{freeze.name}_{suffix}", level=pgtrigger.Statement, when=pgtrigger.After,
                                 operation=operation, referencing=referencing,
                                 func=" ".join(check(t) for t in tables) + " RETURN NULL;")

    return [
        trigger("ins", pgtrigger.Insert, pgtrigger.Referencing(new="new_rows"), ["new_rows"]),
        trigger("upd", pgtrigger.Update, pgtrigger.Referencing(old="old_rows", new="new_rows"),
                ["old_rows", "new_rows"]),
        trigger("del", pgtrigger.Delete, pgtrigger.Referencing(old="old_rows"), ["old_rows"]),
    ]


def triggers_for(model) -> list[pgtrigger.Trigger]:
    """The PostgreSQL triggers of a frozen model, from its declaration."""
    freeze = model.freeze
    path = route(model, freeze)
    return _through_parent(freeze, model, path) if path and path.hops else _protect(freeze, model, path)


def install_triggers() -> None:
    """Register every frozen model's triggers (migrations install them on PostgreSQL)."""
    for model in frozen_models():
        have = {t.name for t in getattr(model._meta, "triggers", [])}
        for trigger in triggers_for(model):
            if trigger.name not in have:
                pgtrigger.register(trigger)(model)


def sqlite_statements(model) -> list[str]:
    """SQLite's version, for updates of rows final by their own fields (or always). Not deletes: SQLite empties
    tables with DELETE (PostgreSQL with TRUNCATE, which fires no row trigger), so a delete trigger would make the
    database impossible to flush between tests; not rows final through another row, which would cost a lookup
    per inserted mark."""
    freeze = model.freeze
    path = route(model, freeze)
    if path and path.hops:
        return []
    conditions = [_final_condition(path, freeze.value, "OLD")] if path else []
    if freeze.mutable:
        conditions.append("(" + " OR ".join(f"NEW.{f.column} IS NOT OLD.{f.column}" for f in model._meta.concrete_fields
                                            if f.name not in freeze.mutable) + ")")
    name, table = f"{freeze.name}_update", model._meta.db_table
    when = f" WHEN {' AND '.join(conditions)}" if conditions else ""
    return [f"DROP TRIGGER IF EXISTS {name}_{table}",
            f"CREATE TRIGGER {name}_{table} BEFORE UPDATE ON {table} FOR EACH ROW{when} "
            f"BEGIN SELECT RAISE(ABORT, 'juwei: {freeze.name}: UPDATE refused, the row is final'); END"]


def install_sqlite_triggers(*, using: str = "default", **kwargs) -> None:
    """After every migrate (post_migrate): SQLite has no migration-installed triggers."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for model in frozen_models():
            for statement in sqlite_statements(model):
                cursor.execute(statement)
