"""SQL the ORM cannot write: an INSERT whose values come from a SELECT, so it can take part in
a larger statement (a data-modifying WITH on PostgreSQL, see research.settlement); a
statement with a time limit that costs no extra round trip; and the two fixed-shape
statements of every research request (its token look-up, its settling write) run as
prepared statements, with a request's first statement doubling as the connection's health
check."""

import functools
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Model, UUIDField


def insert_select(
    instance: Model, *, computed: dict | None = None, source: str = "", suffix: str = ""
) -> tuple[str, list]:
    """`INSERT INTO table (columns) SELECT values [FROM source] [suffix]`, with the values of
    `instance` prepared as the ORM saves them, except the `computed` ones (attname → SQL
    expression, or (expression, parameters)). An auto-increment primary key left unset is
    left to the database."""
    vendor = connection.vendor
    computed = computed or {}
    columns, values, params = [], [], []
    for field, column, placeholder in _columns(type(instance), vendor):
        value = getattr(instance, field.attname)
        if field.primary_key and value is None and field.attname not in computed:
            continue
        columns.append(column)
        if field.attname in computed:
            expression = computed[field.attname]
            if isinstance(expression, tuple):
                expression, expression_params = expression
                params.extend(expression_params)
            values.append(expression)
        else:
            values.append(placeholder)
            params.append(field.get_db_prep_save(value, connection))
    table = connection.ops.quote_name(instance._meta.db_table)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)}"
    if source:
        sql += f" FROM {source}"
    if suffix:
        sql += f" {suffix}"
    return sql, params


@functools.cache
def _columns(model: type[Model], vendor: str) -> list[tuple]:
    """Each concrete field of `model` with its quoted column and its typed placeholder
    (computed once: Django's db_type() costs more than the statement's parameters)."""
    quote = connection.ops.quote_name
    return [
        (field, quote(field.column), typed(field.db_type(connection), vendor))
        for field in model._meta.concrete_fields
    ]


def model_columns(model: type[Model], alias: str) -> str:
    """The SELECT list of `model`'s concrete columns, in order, for `instance_of`."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def instance_of(model: type[Model], row: tuple) -> tuple[Model, tuple]:
    """A `model` instance from a row that starts with `model_columns`, its values converted
    as the ORM would; and the rest of the row."""
    fields = model._meta.concrete_fields
    values = []
    for field, value in zip(fields, row, strict=False):
        for convert in _converters(field, connection.vendor):
            value = convert(value, field, connection)
        values.append(value)
    instance = model.from_db(connection.alias, [f.attname for f in fields], values)
    return instance, row[len(fields) :]


@functools.cache
def _converters(field, vendor: str) -> list:
    column = field.get_col(field.model._meta.db_table)
    return connection.ops.get_db_converters(column) + field.get_db_converters(connection)


def typed(db_type: str, vendor: str | None = None) -> str:
    """A parameter placeholder, cast to `db_type` on PostgreSQL: in a SELECT list (INSERT ...
    SELECT) a prepared statement cannot infer a parameter's type from the column it fills.
    Strings are cast to text, never to varchar(n), which would cut a long value short where
    the column refuses it."""
    if (vendor or connection.vendor) != "postgresql":
        return "%s"
    return "CAST(%s AS text)" if db_type.startswith("varchar") else f"CAST(%s AS {db_type})"


SLOTS_TAKEN = "RQ503"  # the SQLSTATE query_slot() raises when every slot is taken


def execute_limited(cursor, sql: str, params: list, *, slot_of=None):
    """Execute one statement, cancelled on PostgreSQL after RESEARCH_API_QUERY_TIMEOUT_SECONDS
    (the caller gets a query_timeout answer before any proxy or worker timeout). The setting
    and the statement go in one round trip and one implicit transaction; the cursor is left
    on the statement's result. With `slot_of` (a project's id) the statement first takes one
    of the project's RESEARCH_API_QUERIES_AT_ONCE slots (a transaction-level advisory lock,
    released when the statement ends), or fails with SLOTS_TAKEN if all are taken."""
    if connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    claim, claim_params = "", []
    if slot_of is not None:
        claim = ", query_slot(hashtext(%s), %s)"
        claim_params = [str(slot_of), settings.RESEARCH_API_QUERIES_AT_ONCE]
    cursor.execute(
        f"SELECT set_config('statement_timeout', %s, true){claim}; {sql}",
        [f"{settings.RESEARCH_API_QUERY_TIMEOUT_SECONDS}s", *claim_params, *params],
    )
    cursor.nextset()


def db_uuid(value):
    """A UUID as the database stores it (native on PostgreSQL, 32 hex digits on SQLite)."""
    return UUIDField().get_db_prep_value(value, connection)


def fetch_limited(sql: str, params: list) -> tuple | None:
    """The first row of one statement run under the research time limit. On PostgreSQL (and
    unless RESEARCH_API_PREPARED_STATEMENTS is off) the statement is prepared, and sent in
    one round trip with the limit (a pipeline: both in one implicit transaction), so a
    statement of many parts is neither parsed nor planned again on every request; its
    parameters must then be typed where PostgreSQL cannot infer them (`typed`)."""
    if connection.vendor != "postgresql" or not settings.RESEARCH_API_PREPARED_STATEMENTS:
        with connection.cursor() as cursor:
            execute_limited(cursor, sql, params)
            return cursor.fetchone()
    import psycopg

    connection.ensure_connection()
    started = time.monotonic()
    conn = connection.connection
    with connection.wrap_database_errors, psycopg.Cursor(conn) as cursor, conn.pipeline():
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, true)",
            [f"{settings.RESEARCH_API_QUERY_TIMEOUT_SECONDS}s"],
        )
        cursor.execute(sql, params, prepare=True)
        row = cursor.fetchone()
    _log(sql, started)
    return row


def _log(sql: str, started: float):
    if connection.queries_logged:  # as Django's debug cursor logs its statements
        connection.queries_log.append(
            {"sql": f"EXECUTE (prepared) {sql}", "time": f"{time.monotonic() - started:.3f}"}
        )


def fetch_prepared(sql: str, params: list) -> tuple | None:
    """The first row of `sql`, a fixed-shape look-up by key. On PostgreSQL (unless
    RESEARCH_API_PREPARED_STATEMENTS is off) it is prepared once per connection and run with
    a generic plan: planning the token's five-table join cost four times running it. Django's
    own statements are never prepared (client-side binding), so the plans of searches, which
    depend on their values, are made for each."""
    if connection.vendor != "postgresql" or not settings.RESEARCH_API_PREPARED_STATEMENTS:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    import psycopg

    connection.ensure_connection()
    started = time.monotonic()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)  # server-side binding
        row = cursor.fetchone()
    _log(sql, started)
    return row


def first_statement(read):
    """Run a request's first statement, a read, without Django's per-request health check (a
    round trip of its own): if the kept-alive connection turns out dead, reconnect once and
    read again. Never for a write: a write whose connection died may have committed."""
    if connection.in_atomic_block:
        return read()
    connection.health_check_done = True  # this statement is the check
    try:
        return read()
    except (InterfaceError, OperationalError):
        if connection.connection is not None and not connection.is_usable():
            connection.close()
            return read()
        raise
