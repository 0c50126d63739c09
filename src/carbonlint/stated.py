"""Where a card states its training emissions: in the metadata, in its text only, or nowhere;
and, for the text, which figure is the card's own.

The reporting class stays defined on the metadata (``co2_eq_emissions``), as the Hub's filters
and Castaño et al.'s study read it. This module gives the state beside it, so that a run over
many cards can count what the study could not see: the cards that report in their text.

Precision first. A figure of the text counts as the card's own when it is

* on a structured line (the Hub template's "Carbon Emitted", Sentence-Transformers' list,
  AutoTrain's "CO2 Emissions (in grams)", a "Carbon Emitted:" line), or
* in a table, on the row of the card's own model (matched by name), or the only row, or
* in a sentence about training (or in the environmental section) that compares it with nothing,
  is not a total over several models, and is not the market-based figure.

Totals over several models, rows of other models and figures that disagree with each other make
the statement *ambiguous*: the card reports in its text, but no single number can be taken as
its own. Where the text gives a location-based and a market-based figure, the location-based one
is taken (it measures what the training emitted; the market-based one nets out purchased
certificates), and the finding says so.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any, Iterable

from carbonlint.record import Record

if TYPE_CHECKING:
    from carbonlint.card import Card
    from carbonlint.prose import Fact, ProseFacts
    from carbonlint.prose.subjects import Subject

METADATA, TEXT, NOWHERE = "metadata", "text", "none"
STATES = (METADATA, TEXT, NOWHERE)
STRUCTURED_SOURCES = frozenset({"hub-template", "sentence-transformers", "autotrain"})
# Sentences about something else than this model's training.
_OTHER = frozenset({"comparison", "inference", "base"})


class TextEmissions(Record):
    """What the text says about the card's own training emissions."""

    fact: Fact | None  # the card's own figure; None when ambiguous
    candidates: tuple[Fact, ...]  # the figures that make it ambiguous (or the chosen one)
    why: str  # why it is ambiguous, or how the figure was chosen ("" when plainly stated)
    market: Fact | None = None  # a market-based figure left aside for the location-based one

    @property
    def ambiguous(self) -> bool:
        return self.fact is None

    @property
    def basis(self) -> str | None:
        """"location-based" when the text gave both accountings and that one was taken."""
        if self.fact is not None and (self.market is not None or "location" in self.fact.scope):
            return "location-based"
        return None


def is_structured(fact: Fact) -> bool:
    return fact.source in STRUCTURED_SOURCES or (fact.source == "free-text" and fact.field is not None)


def name_tokens(text: str) -> list[str]:
    """"Meta-Llama-3.1-8B-Instruct" -> meta, llama, 3, 1, 8b, instruct."""
    return re.findall(r"[a-z]+|[0-9]+[a-z]?", text.lower())


def own_names(card: Card) -> list[str]:
    """The names the card goes by: model_name and model-index in the metadata, the Hub id, the
    folder of a README.md, the file name of another card, and the first top-level heading."""
    from carbonlint.model_index import first_model_name

    names: list[str] = []
    metadata = card.metadata if isinstance(card.metadata, dict) or hasattr(card.metadata, "get") else {}
    value = metadata.get("model_name")
    if isinstance(value, str):
        names.append(value)
    value = first_model_name(metadata)
    if isinstance(value, str):
        names.append(value)
    hub = getattr(card, "hub_info", None)
    if hub is not None and isinstance(getattr(hub, "model_id", None), str):
        names.append(hub.model_id.rsplit("/", 1)[-1])
    path = card.path.replace("\\", "/")
    folder, base = os.path.split(path)
    lower = base.lower()
    if lower == "readme.md" or "model_card" in lower or "modelcard" in lower:
        if folder:
            names.append(os.path.basename(folder))  # a model repository's folder
    elif lower.endswith(".md"):
        names.append(base[:-3])
    heading = re.search(r"^#[ \t]+([^\n#][^\n]*)$", card.body, re.M)
    if heading:
        names.append(heading.group(1))
    return names


# Tokens that say nothing about which model a label names.
_WEAK_TOKENS = frozenset({
    "model", "models", "card", "the", "base", "version", "and", "for", "with", "fine", "tuning",
    "tunning", "tuned", "training", "trained", "estimated", "emissions", "original", "our",
    "this", "its", "total", "run", "runs", "pre", "pretraining", "finetuning", "finetuned",
})


def _distinctive(text: str) -> set[str]:
    """The words of a name that tell one model from another: "Würstchen v1" -> {wurstchen}."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    # "Würstchen" is spelt "wuerstchen" in repository names: both become "wurstchen".
    for pair, vowel in (("ae", "a"), ("oe", "o"), ("ue", "u")):
        ascii_text = ascii_text.replace(pair, vowel)
    return {token for token in name_tokens(ascii_text)
            if token.isalpha() and len(token) >= 3 and token not in _WEAK_TOKENS}


def foreign_subjects(prose: ProseFacts, names: Iterable[str]) -> list[Subject]:
    """The labelled blocks of the text that name another model than the card's own
    ("**Stable Diffusion v1** **Estimated Emissions**" in a fine-tune's card). A label whose
    every word is among the card's names is the card's own; a card whose names are unknown has
    no foreign blocks (nothing to compare with, so nothing is taken away)."""
    if not prose.subjects:
        return []
    own: set[str] = set()
    for name in names:
        own |= _distinctive(name)
    if not own:
        return []
    # Every word of the label must be one of the card's: "DALL·E Mega" in the DALL·E Mini card
    # shares "dalle" with it and is still another model.
    return [subject for subject in prose.subjects
            if _distinctive(subject.name) and not _distinctive(subject.name) <= own]


def under_foreign_label(fact: Fact, foreign: Iterable[Subject]) -> bool:
    return any(subject.covers(fact.span.line) for subject in foreign)


def _own_rows(rows: list[Fact], names: Iterable[str]) -> list[Fact]:
    """The rows of the card's model: those whose label's every part is in one of the names
    ("Llama 3 8B" in "Meta-Llama-3-8B-Instruct"), sizes included. Names are tried in order;
    a name that fits the labels of several models ("Llama 3 8B and 70B") decides nothing."""
    for name in names:
        tokens = set(name_tokens(name))
        labels = {row.field for row in rows
                  if name_tokens(row.field or "") and set(name_tokens(row.field or "")) <= tokens}
        if len(labels) == 1:
            return [row for row in rows if row.field in labels]
    return []


def _tolerance(fact: Fact) -> float:
    from carbonlint.units import GRAMS_PER_UNIT

    unit = GRAMS_PER_UNIT.get(fact.unit or "g", 1.0)
    half_digit = 0.5 * 10 ** -(fact.decimals or 0) * unit if fact.decimals is not None else 0.0
    return max(half_digit, 0.005 * abs(float(fact.value)), 1e-12)


def same_figure(a: Fact, b: Fact) -> bool:
    return abs(float(a.value) - float(b.value)) <= max(_tolerance(a), _tolerance(b))


def text_emissions(prose: ProseFacts, names: Iterable[str]) -> TextEmissions | None:
    """The card's own training emissions as its text states them; None when the text states
    none (or only figures about something else)."""
    names = list(names)
    # Figures under another model's label (a fine-tune's copy of its base model's block) are
    # not the card's own: like another model's table row, they make the statement ambiguous.
    foreign = foreign_subjects(prose, names)
    labelled: list[Fact] = []
    own_lines: list[Fact] = []
    own_free: list[Fact] = []
    aggregates: list[Fact] = []
    totals: list[Fact] = []
    rows: list[Fact] = []
    market: Fact | None = None
    for fact in prose.facts + prose.tables:
        if fact.kind != "emissions_g" or isinstance(fact.value, str):
            continue
        scope = fact.scope
        if scope & _OTHER:
            continue
        if foreign and under_foreign_label(fact, foreign):
            labelled.append(fact)
            continue
        if "market" in scope:
            market = market or fact
            continue
        if fact.source == "table":
            (totals if "total" in scope else rows).append(fact)
        elif is_structured(fact):
            own_lines.append(fact)
        elif "aggregate" in scope:
            aggregates.append(fact)
        elif "training" in scope or "environmental" in scope:
            own_free.append(fact)
    own_rows = _own_rows(rows, names)
    if not own_rows and len({row.field for row in rows}) == 1:
        own_rows = rows  # a table of one model is that model's
    other_rows = [row for row in rows if row not in own_rows]
    # A sentence that repeats a table's total, or another model's row, is not this model's.
    for fact in list(own_free):
        if any(same_figure(fact, total) for total in totals):
            own_free.remove(fact)
            aggregates.append(fact)
        elif any(same_figure(fact, row) for row in other_rows):
            own_free.remove(fact)
    own = own_lines + own_rows + own_free
    if own:
        first = own[0]
        disagreeing = [fact for fact in own[1:] if not same_figure(first, fact)]
        if not disagreeing:
            return TextEmissions(first, (first,), "", market)
        return TextEmissions(None, (first, *disagreeing),
                             "the text gives different figures", market)
    if aggregates or totals or other_rows:
        # A sentence that repeats a table's total is said once, by the table.
        said = [f for f in aggregates if not any(same_figure(f, total) for total in totals)]
        figures = tuple(dict.fromkeys(totals + said + other_rows))
        return TextEmissions(None, figures, "the text gives a total for several models, not this "
                             "model's own figure", market)
    if labelled:
        names_said = ", ".join(dict.fromkeys(
            f"'{subject.name}'" for subject in foreign
            if any(subject.covers(fact.span.line) for fact in labelled)))
        return TextEmissions(None, tuple(labelled), f"the text gives the emissions of {names_said} "
                             "(its label names another model than this card's), not this model's "
                             "own figure", market)
    return None


# -- hardware and hours of the card's own training run ---------------------------------------------

# Words that do not name a device: "GPU", "GPU Power", "1 x GPU", "NVIDIA".
_GENERIC = frozenset({
    "gpu", "gpus", "cpu", "cpus", "tpu", "tpus", "power", "nvidia", "amd", "intel", "hardware",
    "graphics", "card", "cards", "accelerator", "accelerators", "single", "one", "a", "an", "the",
    "used", "type", "local", "machine", "x", "with", "and", "or", "of", "on", "cuda", "cluster",
    "server", "servers", "node", "nodes", "device", "devices",
})


# A value that says the hardware is not known, or not one: "Not measured, GPU expected for
# fine-tuning", "CPU or GPU (varies by user)", "depending on your setup", "user-dependent".
_HEDGE = re.compile(
    r"\b(?:not\s+(?:yet\s+)?(?:measured|recorded|tracked|known|confirmed|specified|decided)"
    r"|var(?:ies|y|ying)\b|depend(?:s|ing|ent)\b|expected\b|planned\b|to\s+be\s+(?:confirmed|decided"
    r"|determined))"
)


def is_non_answer(value: str) -> bool:
    """A hardware value that names no device ("GPU", "GPU Power", "1 GPU", "Nvidia"), or that
    says the hardware is not known or not fixed ("Not measured, GPU expected", "CPU or GPU
    (varies by user)")."""
    folded = value.lower()
    if _HEDGE.search(folded):
        return True
    words = re.findall(r"[a-z0-9]+", folded)
    return not [word for word in words if word not in _GENERIC and not word.isdigit()]


def about_own_run(fact: Fact) -> bool:
    """A hardware or hours statement about the card's own training run: not the inference
    machine, not the base model's, not a comparison."""
    return not fact.scope & _OTHER


def declares_base_model(metadata: Any) -> bool:
    value = metadata.get("base_model") if hasattr(metadata, "get") else None
    return bool(value) and not isinstance(value, bool)
