"""Rows for the hot path: a Core query, then an ORM object as if the ORM had loaded it.

``Session.get`` builds the ORM's row loader anew on every call, which costs more than the
query itself (measured in docs/performance.md, "Fewer statements, rows without the ORM's
loader"). Every live event loads its sender and its session, so these go through
here instead: ``get`` is one Core ``SELECT`` of the mapped columns by primary key, and
``attach`` makes a row of every mapped column (from ``get``, from the sign-in queries in
``auth``, or from an ``INSERT … RETURNING``) a clean persistent object of this session
(``make_transient_to_detached``, then ``Session.add``). Relationships load lazily as usual.
"""

from functools import cache

from sqlalchemy import Select, bindparam, inspect, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import instance_dict
from sqlalchemy.orm.util import identity_key

from ..extensions import db


def columns(model: type, prefix: str = "") -> list:
    """Every mapped column of ``model``, labelled ``prefix`` + attribute name (for ``attach``)."""
    return [prop.columns[0].label(prefix + prop.key) for prop in inspect(model).column_attrs]


@cache
def _by_key(model: type) -> tuple[Select, tuple[str, ...], str]:
    """The ``SELECT`` of a model's columns by primary key, the attribute names, the key's."""
    mapper = inspect(model)
    (key_column,) = mapper.primary_key
    names = tuple(prop.key for prop in mapper.column_attrs)
    key_name = mapper.get_property_by_column(key_column).key
    return select(*columns(model)).where(key_column == bindparam("pk")), names, key_name


def get(model: type, pk: int):
    """Return the object with primary key ``pk`` in this session, or None."""
    found = db.session.identity_map.get(identity_key(model, pk))
    if found is not None:
        return found
    statement = _by_key(model)[0]
    row = db.session.connection().execute(statement, {"pk": pk}).first()
    return None if row is None else attach(model, row._mapping)


def attach(model: type, values, prefix: str = ""):
    """Make ``values`` (every mapped column, by ``prefix`` + attribute name) an object of
    this session.

    The object is persistent and clean, as if the ORM had loaded it; if the session already
    holds that row, that object is returned instead. Like the ORM's own loader, it fills the
    new instance's dictionary directly: no constructor, no attribute events.
    """
    _, names, key_name = _by_key(model)
    found = db.session.identity_map.get(identity_key(model, values[prefix + key_name]))
    if found is not None:
        return found
    obj = inspect(model).class_manager.new_instance()
    instance_dict(obj).update({name: values[prefix + name] for name in names})
    make_transient_to_detached(obj)
    db.session.add(obj)
    return obj
