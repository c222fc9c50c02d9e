"""The fast ways' few statements, compiled by SQLAlchemy once and run on the driver's cursor.

SQLAlchemy Core adds its own work to each statement, on top of the driver's: an execution
context, a connection wrapper, a result object (measured in docs/performance.md, "Statements on
the driver's cursor"). The fast ways (an agenda push, a participant's card) run two or
three statements per event, thousands of times a minute, so for them ``Prepared`` keeps what
SQLAlchemy compiled for the database in use: the SQL text, the order of its parameters, the
constants it holds and each parameter's bind processor (``TypeEngine.bind_processor``, the
same conversion Core applies, so what is stored is exactly what Core would store). An
execution is then one ``cursor.execute`` on the DBAPI connection of a Core connection
(``connection``), whose transaction, commit events and pool handling stay SQLAlchemy's.
A driver error is raised as Core raises it (``sqlalchemy.exc.IntegrityError`` …).

Only for statements whose results are read as plain integers and strings: rows come back as
the driver gives them, without SQLAlchemy's result processing.

On SQLite a fast way's Core connection is parked between events instead of going back to
the pool: checking a connection out and in again, and the new ``Connection`` object's event
set-up, cost more than its statements' own work (docs/performance.md, "Plain records and
parked connections"). A file cannot drop the connection; on PostgreSQL every event checks one
out, so that the pool's pre-ping finds a connection the server dropped.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from weakref import WeakSet

from sqlalchemy import event
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement


@dataclass(frozen=True)
class Form:
    """A statement as compiled for one dialect."""

    sql: str
    order: tuple[str, ...] | None  # parameter names in order (positional drivers), or None
    constants: dict[str, Any]
    processors: tuple[tuple[str, Any], ...]


class Prepared:
    """A Core statement compiled once per dialect, executed on a DBAPI cursor."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._forms: dict[str, Form] = {}

    def form(self, dialect: Dialect) -> Form:
        """The statement compiled for ``dialect`` (once)."""
        key = f"{dialect.name}+{dialect.driver}"
        form = self._forms.get(key)
        if form is None:
            form = self._forms[key] = compile_form(self.statement, dialect)
        return form

    def execute(self, core: Connection, cursor, params: dict[str, Any]):
        """Run the statement with ``params`` on ``cursor`` (of ``core``); return the cursor.

        Listeners of ``before_cursor_execute`` and ``after_cursor_execute`` on the
        connection see the statement as they would from Core, with one bare object for the
        execution context (Flask-SQLAlchemy's ``SQLALCHEMY_RECORD_QUERIES`` notes its start
        time there before, and reads it after).
        """
        form = self.form(core.dialect)
        values = {**form.constants, **params}
        for name, process in form.processors:
            values[name] = process(values[name])
        if form.order is not None:
            values = [values[name] for name in form.order]
        context = SimpleNamespace()  # no execution context; a listener may note things on it
        for listener in core.dispatch.before_cursor_execute:
            listener(core, cursor, form.sql, values, context, False)
        try:
            cursor.execute(form.sql, values)
        except core.dialect.loaded_dbapi.Error as exc:
            raise wrapped(core, cursor, exc, form.sql, values) from exc
        for listener in core.dispatch.after_cursor_execute:
            listener(core, cursor, form.sql, values, context, False)
        return cursor


def wrapped(core: Connection, cursor, exc: Exception, sql: str, values) -> DBAPIError:
    """The driver's error as Core raises it (``IntegrityError`` …).

    A connection the database dropped is thrown away, as Core does.
    """
    dialect = core.dialect
    dropped = dialect.is_disconnect(exc, core.connection.dbapi_connection, cursor)
    if dropped:
        core.invalidate(exc)
    return DBAPIError.instance(sql, values, exc, dialect.loaded_dbapi.Error,
                               connection_invalidated=dropped, dialect=dialect)


def compile_form(statement: ClauseElement, dialect: Dialect) -> Form:
    """Compile ``statement`` for ``dialect``, keeping what an execution needs."""
    compiled = statement.compile(dialect=dialect)
    binds = compiled.bind_names
    if compiled.escaped_bind_names or any(bind.expanding for bind in binds):
        raise ValueError("only plainly named, single-valued parameters can be prepared")
    constants, processors = {}, {}
    for bind, name in binds.items():
        if bind.value is not None:
            constants[name] = bind.value
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            processors[name] = process
    order = tuple(compiled.positiontup) if compiled.positional else None
    return Form(compiled.string, order, constants, tuple(processors.items()))


_parked: dict[Engine, Connection] = {}  # an idle connection per engine, outside any transaction
_unparks: WeakSet[Engine] = WeakSet()  # engines whose disposal closes their parked connection


@contextmanager
def connection(engine: Engine) -> Iterator[tuple[Connection, Any]]:
    """A Core connection of ``engine`` in a new transaction, and a DBAPI cursor on it.

    The caller commits or rolls back through the Core connection, so the transaction, the
    pool's handling of a dropped connection and the ``commit`` events are SQLAlchemy's own;
    a transaction left open is rolled back. Afterwards the connection is parked for the
    next event (SQLite) or goes back to the pool; after an error it always goes back.
    """
    core = take(engine)
    try:
        core.begin()  # so that Core's commit and rollback reach the driver
        cursor = core.connection.dbapi_connection.cursor()
        try:
            yield core, cursor
        finally:
            cursor.close()
        if core.in_transaction():
            core.rollback()
    except BaseException:
        core.close()  # back to the pool, which rolls back whatever is left
        raise
    park(engine, core)


def take(engine: Engine) -> Connection:
    """The connection parked for ``engine``, or a new one from its pool."""
    core = _parked.pop(engine, None)
    if core is None or core.closed or core.invalidated:
        return engine.connect()
    return core


def park(engine: Engine, core: Connection) -> None:
    """Keep ``core`` for the next event, or close it (PostgreSQL, or one is parked already)."""
    if engine.dialect.name != "sqlite" or core.invalidated or engine in _parked:
        core.close()
        return
    if engine not in _unparks:  # once per engine: asking SQLAlchemy each time costs more
        event.listen(engine, "engine_disposed", unpark)
        _unparks.add(engine)
    _parked[engine] = core


def unpark(engine: Engine) -> None:
    """Close the connection parked for ``engine`` when the engine is disposed.

    Its pool is gone by then (``Engine.dispose``): the connection is detached from it, so
    that closing it closes the database connection.
    """
    core = _parked.pop(engine, None)
    if core is not None:
        core.detach()
        core.close()
