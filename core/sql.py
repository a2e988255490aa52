"""SQL the ORM cannot write: an INSERT whose values come from a SELECT, so it can take part in
a larger statement (a data-modifying WITH on PostgreSQL, see research.settlement), and a
statement with a time limit that costs no extra round trip."""

from django.conf import settings
from django.db import connection
from django.db.models import Model, UUIDField


def insert_select(
    instance: Model, *, computed: dict | None = None, source: str = "", suffix: str = ""
) -> tuple[str, list]:
    """`INSERT INTO table (columns) SELECT values [FROM source] [suffix]`, with the values of
    `instance` prepared as the ORM saves them, except the `computed` ones (attname → SQL
    expression, or (expression, parameters)). An auto-increment primary key left unset is
    left to the database."""
    quote = connection.ops.quote_name
    computed = computed or {}
    columns, values, params = [], [], []
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if field.primary_key and value is None and field.attname not in computed:
            continue
        columns.append(quote(field.column))
        if field.attname in computed:
            expression = computed[field.attname]
            if isinstance(expression, tuple):
                expression, expression_params = expression
                params.extend(expression_params)
            values.append(expression)
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(value, connection))
    sql = (
        f"INSERT INTO {quote(instance._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)}"
    )
    if source:
        sql += f" FROM {source}"
    if suffix:
        sql += f" {suffix}"
    return sql, params


def execute_limited(cursor, sql: str, params: list):
    """Execute one statement, cancelled on PostgreSQL after RESEARCH_API_QUERY_TIMEOUT_SECONDS
    (the caller gets a query_timeout answer before any proxy or worker timeout). The setting
    and the statement go in one round trip and one implicit transaction; the cursor is left
    on the statement's result."""
    if connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    cursor.execute(
        f"SELECT set_config('statement_timeout', %s, true); {sql}",
        [f"{settings.RESEARCH_API_QUERY_TIMEOUT_SECONDS}s", *params],
    )
    cursor.nextset()


def db_uuid(value):
    """A UUID as the database stores it (native on PostgreSQL, 32 hex digits on SQLite)."""
    return UUIDField().get_db_prep_value(value, connection)
