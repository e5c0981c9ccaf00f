"""Words anywhere in an incident's account or a person's name, found through an index.

Both databases answer the same question (does the text contain these
characters, ignoring case) from an index rather than by reading every row:

- PostgreSQL: trigram GIN indexes on UPPER(column) (migration 0004), which
  serve Django's icontains as it is.
- SQLite: FTS5 tables with the trigram tokenizer, one per searched table, kept
  in step with it by triggers. A phrase query of three or more characters is a
  substring match there; shorter text falls back to icontains, which scans.

The SQLite tables and triggers are (re)made after every migrate rather than by a
migration, because SQLite's schema editor rebuilds a table to alter it and the
rebuild drops the table's triggers: a later migration would silently stop the
index from following the data. `ensure_sqlite_search` puts back what is
missing and rebuilds an index whose triggers were gone.
"""

from django.db import connection, models
from django.db.models import Lookup, Q
from django.db.models.expressions import RawSQL

# (searched table, column, FTS table)
SQLITE_INDEXES = [
    ("incidents_incident", "description", "incidents_incident_fts"),
    ("incidents_person", "full_name", "incidents_person_fts"),
    ("incidents_personalias", "name", "incidents_personalias_fts"),
]
TRIGRAM_MIN = 3


def _triggers(table, column, fts):
    # Every name here comes from SQLITE_INDEXES, this module's constants: no input reaches the SQL.
    return {
        f"{fts}_ai": f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "  # nosec B608
                     f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"{fts}_ad": f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "  # nosec B608
                     f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); END",
        f"{fts}_au": f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {column} ON {table} BEGIN "  # nosec B608
                     f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); "
                     f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
    }


def ensure_sqlite_search(using_connection=None) -> None:
    """Create the FTS tables and triggers that are missing; rebuild an index that was left behind."""
    conn = using_connection or connection
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        existing = {row[0] for row in cursor.fetchall()}
        for table, column, fts in SQLITE_INDEXES:
            if table not in existing:
                continue
            rebuild = fts not in existing
            if rebuild:
                cursor.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='{table}', "
                               f"content_rowid='id', tokenize='trigram')")
            for name, sql in _triggers(table, column, fts).items():
                if name not in existing:
                    cursor.execute(sql)
                    rebuild = True
            if rebuild:
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # nosec B608 - a constant name


# PostgreSQL's trigram indexes, as migration 0004 creates them.
POSTGRES_INDEXES = {
    "incident_description_trgm": "CREATE INDEX IF NOT EXISTS incident_description_trgm ON incidents_incident "
                                 "USING gin (UPPER(description) gin_trgm_ops)",
    "person_full_name_trgm": "CREATE INDEX IF NOT EXISTS person_full_name_trgm ON incidents_person "
                             "USING gin (UPPER(full_name) gin_trgm_ops)",
    # Migration 0013: another name a person goes by.
    "personalias_name_trgm": "CREATE INDEX IF NOT EXISTS personalias_name_trgm ON incidents_personalias "
                             "USING gin (UPPER(name) gin_trgm_ops)",
}


def suspend_search_indexes(using_connection=None) -> None:
    """Before a bulk load: stop maintaining the search indexes row by row (resume_search_indexes rebuilds them).

    Building a trigram or FTS index once over the loaded rows is several times
    cheaper than keeping it up to date through every insert.
    """
    conn = using_connection or connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            for table, column, fts in SQLITE_INDEXES:
                for name in _triggers(table, column, fts):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif conn.vendor == "postgresql":
            for name in POSTGRES_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")


def resume_search_indexes(using_connection=None) -> None:
    conn = using_connection or connection
    if conn.vendor == "sqlite":
        ensure_sqlite_search(conn)
    elif conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            # Inside a transaction (a test) deferred foreign-key checks would block CREATE INDEX: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for sql in POSTGRES_INDEXES.values():
                cursor.execute(sql)


def _sqlite_match(fts: str, text: str):
    # A double-quoted FTS5 string is one phrase: no operator in the user's text is interpreted.
    phrase = '"' + text.replace('"', '""') + '"'
    return RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", (phrase,))  # nosec B608 B611 - a constant name


def sqlite_incident_matches(text: str):
    """SQLite: the ids of the cases whose reference is `text`, that name a person whose name contains it,
    or whose account contains it (three or more characters), as one compound subquery. Written out
    rather than built from querysets, which added a lookup of every matching person's and case's row
    between the FTS tables and the ids (a common surname: some 5,000 lookups, a third of the search)."""
    phrase = '"' + text.replace('"', '""') + '"'
    # Constant table names only; the text travels as parameters.
    return RawSQL(
        "SELECT id FROM incidents_incident WHERE reference = %s "  # nosec B608 B611
        "UNION SELECT incident_id FROM incidents_incidentperson WHERE person_id IN "
        "(SELECT rowid FROM incidents_person_fts WHERE incidents_person_fts MATCH %s) "
        "UNION SELECT rowid FROM incidents_incident_fts WHERE incidents_incident_fts MATCH %s",
        (text.upper(), phrase, phrase))


def contains_q(field: str, text: str) -> Q:
    """Q for `field` (an incident's description, a person's full_name, an alias's name) containing `text`,
    ignoring case, through the search index where there is one."""
    fts = {"description": "incidents_incident_fts", "full_name": "incidents_person_fts",
           "name": "incidents_personalias_fts"}[field]
    if connection.vendor == "sqlite" and len(text) >= TRIGRAM_MIN:
        return Q(pk__in=_sqlite_match(fts, text))
    return Q(**{f"{field}__icontains": text})


@models.BigAutoField.register_lookup
class InArray(Lookup):
    """`pk__in_array=<queryset>` on PostgreSQL: `id = ANY(ARRAY(<subquery>))`.

    With `id IN (<union of index lookups>)` the planner hashed the matches and
    joined them against a scan of every incident's id (200,000 rows for a few
    thousand matches). ARRAY() runs the subquery once, first, and the matching
    cases are then fetched by their primary key.
    """

    lookup_name = "in_array"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)
