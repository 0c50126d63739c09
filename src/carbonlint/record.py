"""``Record``: ``typing.NamedTuple``'s class syntax, at a third of its cost at import.

carbonlint's immutable value types (a finding's span, a fact read from the text, the
configuration) are named tuples written with class syntax: typed fields, defaults, a docstring,
methods. ``typing.NamedTuple`` checks every field's annotation (twice; with ``from __future__
import annotations`` each check compiles the annotation's text) and costs about 1 ms a class in a
fresh interpreter; a ``carbonlint check`` creates ~35 of them before it reads a card, ~15 ms of
every pre-commit run (bench/startup.py). ``Record`` builds the same ``collections.namedtuple``
from the annotations' names without evaluating them, and puts the class body (docstring, methods,
constants) on a subclass of it with ``__slots__ = ()``. What the class is to its users does not
change: a tuple with named fields, ``_replace``, ``_asdict``, ``_fields``, ``_field_defaults``,
equality and hashing as tuples, pickled by reference to the class.

Type checkers are shown ``typing.NamedTuple`` itself.
"""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:

    class _RecordType(type):
        def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any]):
            if not bases:  # Record itself
                return super().__new__(mcls, name, bases, namespace)
            if "__annotations__" not in namespace and any(k.startswith("__annotate")
                                                           for k in namespace):
                # Python 3.14 evaluates annotations lazily unless the module asks for strings.
                raise TypeError(f"{name}: a Record's module needs "
                                "'from __future__ import annotations'")
            fields = tuple(namespace.get("__annotations__", {}))
            defaults = []
            for field in fields:
                if field in namespace:
                    defaults.append(namespace.pop(field))
                elif defaults:
                    raise TypeError(f"{name}: field {field!r} without a default follows a field "
                                    "with one")
            base = collections.namedtuple(name, fields, defaults=defaults,
                                          module=namespace.get("__module__"))
            namespace["__slots__"] = ()
            # type, not _RecordType: a subclass of a record is an ordinary class.
            return type.__new__(type, name, (base,), namespace)

    class Record(metaclass=_RecordType):
        """Subclass it with annotated fields, as ``typing.NamedTuple``."""
