"""carbonlint.record.Record behaves as typing.NamedTuple for everything carbonlint uses."""

from __future__ import annotations

import copy
import pickle
from typing import NamedTuple

import pytest

from carbonlint.findings import Category, Finding, Fix, Severity, Span
from carbonlint.record import Record


class Typed(NamedTuple):
    """A region."""

    line: int
    column: int
    note: str = ""
    extra: tuple[int, ...] | None = None

    def shifted(self, by: int) -> Typed:
        return self._replace(line=self.line + by)


class Cheap(Record):
    """A region."""

    line: int
    column: int
    note: str = ""
    extra: tuple[int, ...] | None = None
    LIMIT = 10  # a class constant, not a field

    def shifted(self, by: int) -> Cheap:
        return self._replace(line=self.line + by)


def test_a_record_is_what_a_named_tuple_is() -> None:
    typed, cheap = Typed(3, 4, extra=(1,)), Cheap(3, 4, extra=(1,))
    assert cheap._fields == typed._fields == ("line", "column", "note", "extra")
    assert cheap._field_defaults == typed._field_defaults == {"note": "", "extra": None}
    assert repr(cheap) == repr(typed).replace("Typed", "Cheap")
    assert cheap == typed == (3, 4, "", (1,)) and hash(cheap) == hash(typed)
    assert cheap._asdict() == typed._asdict()
    assert isinstance(cheap, tuple) and isinstance(cheap, Cheap)
    assert cheap.shifted(2) == Cheap(5, 4, "", (1,)) and type(cheap.shifted(2)) is Cheap
    assert Cheap._make([1, 2, "n", None]) == Cheap(1, 2, "n")
    line, column, note, extra = cheap
    assert (line, column, note, extra) == (3, 4, "", (1,))
    assert Cheap.__doc__ == "A region." and Cheap.LIMIT == 10 and "LIMIT" not in Cheap._fields
    assert Cheap.__annotations__ == {"line": "int", "column": "int", "note": "str",
                                     "extra": "tuple[int, ...] | None"}


def test_a_record_is_immutable_and_has_no_instance_dict() -> None:
    cheap = Cheap(1, 2)
    with pytest.raises(AttributeError):
        cheap.line = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        cheap.other = 5  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        Cheap(1)  # type: ignore[call-arg]


def test_records_survive_pickling_and_copying() -> None:
    # The worker pool sends reports, and the findings and spans in them, between processes.
    finding = Finding("CL101", Category.SCHEMA, Severity.ERROR, "m", Span(1, 2, 1, 5),
                      fix=Fix(Span(1, 2, 1, 5), "1500", "grams"))
    for value in (Cheap(1, 2, "x", (3,)), Span(1, 2, 3, 4), finding):
        restored = pickle.loads(pickle.dumps(value))
        assert restored == value and type(restored) is type(value)
        assert copy.deepcopy(value) == value and type(copy.deepcopy(value)) is type(value)


def test_a_field_without_default_after_one_with_is_refused_as_by_named_tuple() -> None:
    with pytest.raises(TypeError):
        class Typed2(NamedTuple):
            a: int = 0
            b: int

    with pytest.raises(TypeError, match="'b' without a default"):
        class Cheap2(Record):
            a: int = 0
            b: int


def test_a_subclass_of_a_record_is_an_ordinary_class() -> None:
    class Named(Cheap):
        @property
        def label(self) -> str:
            return f"{self.line}:{self.column}"

    assert Named(1, 2).label == "1:2" and Named(1, 2)._fields == Cheap._fields


def test_every_record_module_keeps_annotations_as_strings() -> None:
    # Record reads the field names from the class body's __annotations__, which Python 3.14
    # fills only under `from __future__ import annotations`.
    from pathlib import Path

    source = Path(__file__).resolve().parent.parent / "src" / "carbonlint"
    using = [p for p in source.rglob("*.py") if "(Record):" in p.read_text(encoding="utf-8")]
    assert len(using) > 20
    for path in using:
        assert "from __future__ import annotations" in path.read_text(encoding="utf-8"), path
