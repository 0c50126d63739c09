"""Which rules run: ``select``, ``extend-select`` and ``ignore`` resolved in layers, as ruff does.

ruff's semantics (docs.astral.sh/ruff/linter/#rule-selection, and the resolution it adopted in
0.0.238, where a ``--select`` on the command line stopped being overridden by the file's
``ignore``), applied to carbonlint's codes:

* The layers are, lowest priority first, the configuration file's and the command line's; the
  starting point before them is every rule (``ALL``).
* A layer with ``select`` starts afresh: only what it selects (with its ``extend-select``) and
  does not ignore runs, whatever earlier layers said. A layer without ``select`` adjusts the
  set it inherits: ``extend-select`` adds, ``ignore`` removes.
* Within a layer, for each rule the most specific matching selector decides, specificity being
  the length of the prefix (``CL`` < ``CL1`` < ``CL10`` < ``CL106``; ``ALL`` least of all); on a
  tie, ``ignore`` wins. So ``select = ["ALL"], ignore = ["CL1"], extend-select = ["CL106"]``
  runs CL106 and no other CL1 rule.

``per-file-ignores`` are not part of this: they apply afterwards, to the files they match, even
to a rule selected by its full code (carbonlint.config).
"""

from __future__ import annotations

import functools

from carbonlint.record import Record


class RuleSelection(Record):
    """One layer. ``select`` None means "not given here": the layer adjusts the inherited set."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


def specificity(code: str, selector: str) -> int:
    """How specifically ``selector`` names ``code``: -1 no match, 0 ``ALL``, else its length."""
    if selector == "ALL":
        return 0
    return len(selector) if code.startswith(selector) else -1


def code_matches(code: str, selector: str) -> bool:
    return specificity(code, selector) >= 0


def _decision(code: str, layer: RuleSelection) -> bool | None:
    """True (on), False (off) or None (this layer says nothing about ``code``)."""
    chosen = max((specificity(code, s) for s in (*(layer.select or ()), *layer.extend_select)),
                 default=-1)
    dropped = max((specificity(code, s) for s in layer.ignore), default=-1)
    if dropped >= 0 and dropped >= chosen:
        return False
    if chosen >= 0:
        return True
    return None


@functools.lru_cache(maxsize=64)
def resolve(layers: tuple[RuleSelection, ...], codes: tuple[str, ...] | None = None) -> frozenset[str]:
    """The codes that run after ``layers`` (default universe: every rule carbonlint has)."""
    if codes is None:
        from carbonlint.rules import all_rules

        codes = tuple(all_rules())
    enabled = set(codes)  # before any layer: every rule
    for layer in layers:
        for code in codes:
            decision = _decision(code, layer)
            if decision is None:
                if layer.select is not None:  # a fresh start: what it does not name is off
                    enabled.discard(code)
            elif decision:
                enabled.add(code)
            else:
                enabled.discard(code)
    return frozenset(enabled)
