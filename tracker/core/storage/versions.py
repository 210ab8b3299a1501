"""Row versions of deals (schema 0006): every UPDATE of a deal raises its ``version``, whoever writes it.

A form that edits a deal remembers the version it was opened at and saves with ``WHERE version = that``
(:func:`tracker.core.records.changes.update_deal`): no row means another writer changed the deal meanwhile
(a lost update, otherwise), and the form shows both versions before anything is saved.

The version is kept by a trigger, so that every writer raises it (the app, imports, undo, another process,
a hand-written UPDATE): one that does not raise it itself (``version <= OLD.version``) gets it raised; one
that sets ``version = version + 1`` itself pays nothing for the trigger. Inserts keep the column's default
(1). Versions only grow, so a version seen once never comes back with other contents.

Schema 0006 carries this SQL frozen (a migration never imports the application);
``tests/trust/test_ids_and_versions.py`` checks that it is still exactly what this module generates.
"""

from __future__ import annotations

SQLITE_TRIGGER = "deal_version"
PG_TRIGGER = "deal_version"
PG_FUNCTION = "deal_version_bump"


def version_trigger_ddl(dialect: str) -> list[str]:
    """CREATE statements of the trigger that raises a deal's version on every UPDATE (and its function, on
    PostgreSQL)."""
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER {SQLITE_TRIGGER} AFTER UPDATE ON deal FOR EACH ROW WHEN NEW.version <= OLD.version "
            "BEGIN UPDATE deal SET version = OLD.version + 1 WHERE id = NEW.id; END"
        ]
    return [
        f"""CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.version <= OLD.version THEN
    NEW.version := OLD.version + 1;
  END IF;
  RETURN NEW;
END
$$""",
        f"CREATE TRIGGER {PG_TRIGGER} BEFORE UPDATE ON deal FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
    ]


def drop_version_trigger_ddl(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {SQLITE_TRIGGER}"]
    return [f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON deal", f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()"]
