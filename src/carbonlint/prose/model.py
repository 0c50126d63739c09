"""The facts the prose reader returns: :class:`Fact` and :class:`ProseFacts`."""

from __future__ import annotations

from typing import NamedTuple

from carbonlint.findings import Span


class Fact(NamedTuple):
    """One statement found in the body.

    ``kind`` is one of ``emissions_g``, ``energy_kwh``, ``hours``, ``hardware``, ``location``,
    ``cloud_provider``, ``training_type``, ``no_training`` (the text says nothing was trained)
    or ``placeholder``. ``value`` is grams, kWh or hours
    (converted from the written unit) for the numeric kinds, the text for the others.
    ``span`` covers ``text`` exactly, on one line.
    """

    kind: str
    value: float | str
    text: str
    unit: str | None
    decimals: int | None
    source: str
    field: str | None
    span: Span


class ProseFacts(NamedTuple):
    facts: tuple[Fact, ...]
    # The heading of the card's environmental section, if it has one.
    environmental_section: Span | None = None

    def of(self, kind: str) -> list[Fact]:
        return [fact for fact in self.facts if fact.kind == kind]

    @property
    def has_environmental_section(self) -> bool:
        return self.environmental_section is not None

