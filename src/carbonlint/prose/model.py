"""The facts the prose reader returns: :class:`Fact` and :class:`ProseFacts`."""

from __future__ import annotations

from carbonlint.findings import Span
from carbonlint.prose.subjects import Subject
from carbonlint.record import Record


class Fact(Record):
    """One statement found in the body.

    ``kind`` is one of ``emissions_g``, ``energy_kwh``, ``hours``, ``hardware``, ``location``,
    ``cloud_provider``, ``training_type``, ``no_training`` (the text says nothing was trained)
    or ``placeholder``. ``value`` is grams, kWh or hours
    (converted from the written unit) for the numeric kinds, the text for the others.
    ``span`` covers ``text`` exactly, on one line. ``scope`` holds the cues of the sentence a
    free-text fact stands in (see :mod:`carbonlint.prose.scope`), ``environmental`` for a fact
    of the environmental section, and ``table``/``total``/``market``/``location`` for a table's
    figure (see :mod:`carbonlint.prose.tables`).
    """

    kind: str
    value: float | str
    text: str
    unit: str | None
    decimals: int | None
    source: str
    field: str | None
    span: Span
    scope: frozenset[str] = frozenset()
    # The label as the card writes it ("GPU", "Emissions") where ``field`` is its canonical name
    # ("GPU Model", "Carbon Emitted"); None for free text.
    label: str | None = None

    @property
    def written_label(self) -> str | None:
        """The label to quote in a message: the card's own words, else the field's name."""
        return self.label or self.field


class ProseFacts(Record):
    facts: tuple[Fact, ...]
    # The heading of the card's environmental section, if it has one.
    environmental_section: Span | None = None
    # Emissions figures in tables (one per row of an emissions column). Kept apart from
    # ``facts``: a table row is often another model's figure, and only carbonlint.stated,
    # which knows the card's model, decides which row is the card's own.
    tables: tuple[Fact, ...] = ()
    # Blocks a label gives to a named model ("**Stable Diffusion v1** **Estimated Emissions**"):
    # a derived card copies the base model's block (see carbonlint.prose.subjects).
    subjects: tuple[Subject, ...] = ()

    def of(self, kind: str) -> list[Fact]:
        return [fact for fact in self.facts if fact.kind == kind]

    @property
    def has_environmental_section(self) -> bool:
        return self.environmental_section is not None

