"""The pipeline: card -> checks -> findings (with configured severity, minus suppressions) -> report.

Nothing here prints; nothing here parses options. The CLI builds a :class:`~carbonlint.config.Config`
and calls :func:`check_paths`; formatters read the :class:`~carbonlint.findings.CardReport` list.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from carbonlint.card import Card, read_card
from carbonlint.config import Config
from carbonlint.findings import CardReport, Finding, Problem
from carbonlint.grade import Grade, grade, hardware_of, understood_grams
from carbonlint.placeholders import is_placeholder
from carbonlint.rules import all_checks, all_rules, rule_of
from carbonlint.stated import (
    METADATA, NOWHERE, TEXT, about_own_run, declares_base_model, is_non_answer, under_foreign_label,
)

if TYPE_CHECKING:
    from carbonlint.discovery import Tally
    from carbonlint.prose.body import Body
    from carbonlint.prose import ProseFacts
    from carbonlint.stated import TextEmissions

MAX_BODY_CHARS = 500_000  # how much of a card's Markdown text the prose reader reads
ACCELERATOR_FIELDS = frozenset({"Hardware Type", "GPU Model"})
SPEC_FIELDS = ("emissions", "source", "training_type", "geographical_location", "hardware_used")

# "# carbonlint: ignore" or "# carbonlint: ignore[CL107, CL1]" in the YAML front matter.
_INLINE = re.compile(r"(?:^|\s)#\s*carbonlint:\s*ignore(?:\[(?P<codes>[A-Za-z0-9,\s]*)\])?")
# "<!-- carbonlint: disable-file -->", optionally "disable-file[CL2]", anywhere in the card.
_FILE = re.compile(r"<!--\s*carbonlint:\s*disable-file(?:\[(?P<codes>[A-Za-z0-9,\s]*)\])?\s*-->")


class Context:
    """What a check gets: the parsed card and the configuration; derived facts computed once."""

    def __init__(self, card: Card, config: Config) -> None:
        self.card = card
        self.config = config

    @functools.cached_property
    def emissions_g(self) -> float | None:
        return understood_grams(self.card.co2) if self.card.has_co2 else None

    @functools.cached_property
    def schema_errors(self) -> list[Any]:
        """jsonschema's errors for co2_eq_emissions (computed once, shared by the checks)."""
        if not self.card.has_co2:
            return []
        from carbonlint import schema

        found = schema.errors(self.card.co2)
        inner = self.card.co2_list_mapping
        if inner is not None:
            # co2_eq_emissions written as a list (CL108): what its items hold is checked too, in
            # the same pass, so that the author sees every problem before fixing the list.
            found += schema.errors(inner)
        return found

    @functools.cached_property
    def co2_fields(self) -> dict[Any, Any] | None:
        """co2_eq_emissions as a mapping: the mapping itself, or the one a list of mappings
        means (``- emissions: ...``); None for the bare-number form and anything else."""
        co2 = self.card.co2
        return co2 if isinstance(co2, dict) else self.card.co2_list_mapping

    @functools.cached_property
    def prose(self) -> ProseFacts:
        """The emissions facts the card's Markdown body states (with file positions)."""
        from carbonlint.prose import extract

        return extract(self.body)

    @functools.cached_property
    def body(self) -> Body:
        """The card's body as the text readers see it (the prose reader, the estimate's)."""
        from carbonlint.prose.body import Body

        card = self.card
        # The text is read up to MAX_BODY_CHARS (docs/limits.md): every statement about a run
        # that a real card makes is far before that, and the reader's cost grows with the text.
        return Body(card.body[:MAX_BODY_CHARS], card.position(card.body_offset)[0])

    @functools.cached_property
    def local_weights_size(self) -> float | None:
        """The weights beside the card, measured once (several checks ask)."""
        from carbonlint.judge import model_size_bytes

        return model_size_bytes(self.card.path)

    def emissions_place(self) -> tuple[Any, str, Any]:
        """(span, dotted key, YAML node) of the emissions number: co2_eq_emissions itself in the
        short form, its 'emissions' key in the mapping form."""
        card = self.card
        path = ("emissions",) if isinstance(card.co2, dict) else ()
        _, node = card.entry("co2_eq_emissions", *path)
        span = card.span(node) if node is not None else card.span_of("co2_eq_emissions", key=True)
        return span, ".".join(["co2_eq_emissions", *path]), node

    @functools.cached_property
    def metadata_hardware(self) -> str | None:
        value = hardware_of(self.card.co2)
        return None if is_placeholder(value) else value

    @functools.cached_property
    def prose_hardware(self) -> Any:
        """The hardware a structured line of the text gives ("Hardware Type:", "GPU Model:")
        for the card's own training run."""
        # Only accelerator lines: the same list also has "CPU Model" and "RAM Size".
        facts = [fact for fact in self.prose.of("hardware")
                 if fact.field in ACCELERATOR_FIELDS and isinstance(fact.value, str)
                 and self.own_run(fact) and not is_non_answer(fact.value)]
        # The environmental section's line first: its "Hours used" are for that hardware (the
        # Stable Diffusion cards give "Hardware: 32 x 8 x A100" for the training and "Hardware
        # Type: A100 PCIe 40GB" beside 150,000 GPU-hours in the section).
        in_section = [fact for fact in facts if "environmental" in fact.scope]
        return (in_section or facts or [None])[0]

    def own_run(self, fact: Any) -> bool:
        """Whether a hardware or hours statement of the text is about the card's own training
        run: not the inference machine or the base model (by the words of its sentence), and in
        a fine-tune's card (one that declares base_model) only in its environmental section,
        since fine-tunes copy the base model's training list ("Hardware: 32 x 8 x A100")."""
        if not about_own_run(fact):
            return False
        foreign = self.foreign_subjects
        if foreign and under_foreign_label(fact, foreign):
            return False  # under "**Stable Diffusion v1** **Estimated Emissions**" in a fine-tune
        # A card that labels a block as another model's is derived from it, as one that
        # declares base_model: its lists outside the environmental section are the base's.
        derived = bool(foreign) or declares_base_model(self.card.metadata)
        return "environmental" in fact.scope or not derived

    @functools.cached_property
    def foreign_subjects(self) -> list[Any]:
        """The text's blocks labelled as another model's (see carbonlint.stated)."""
        if not self.prose.subjects:
            return []
        from carbonlint.stated import foreign_subjects, own_names

        return foreign_subjects(self.prose, own_names(self.card))

    @functools.cached_property
    def text_emissions(self) -> TextEmissions | None:
        """The card's own training emissions as its text states them (see carbonlint.stated)."""
        from carbonlint.stated import own_names, text_emissions

        return text_emissions(self.prose, own_names(self.card))

    @functools.cached_property
    def emissions_stated(self) -> str:
        """Where the card states its emissions: "metadata", "text" (only) or "none"."""
        if self.emissions_g is not None:
            return METADATA
        return TEXT if self.text_emissions is not None else NOWHERE

    @functools.cached_property
    def hardware(self) -> str | None:
        """Hardware as the grader counts it: the metadata's, else a structured line of the text."""
        if self.metadata_hardware is not None:
            return self.metadata_hardware
        fact = self.prose_hardware
        return str(fact.value) if fact is not None else None

    @functools.cached_property
    def estimate_inputs(self) -> Any:
        """The estimate's inputs with their origins (carbonlint.estimate_inputs: the one
        gatherer that the estimate command, fix --estimate and every rule read)."""
        from carbonlint.estimate_inputs import from_context

        return from_context(self)

    @functools.cached_property
    def estimate(self) -> Any:
        """The physical estimate (hardware x hours x PUE x grid), or None without its inputs."""
        from carbonlint.judge import estimate_for

        return estimate_for(self)

    @functools.cached_property
    def baseline(self) -> Any:
        from carbonlint.judge import load_baseline

        return load_baseline(self.config.baseline)

    @functools.cached_property
    def peer_group(self) -> str | None:
        """The card's peer group in the baseline (the label and the outlier check both ask)."""
        from carbonlint.judge import peer_group

        return peer_group(self, self.baseline)

    @functools.cached_property
    def outlier(self) -> Any:
        from carbonlint.judge import outlier_for

        return outlier_for(self)

    @functools.cached_property
    def efficiency(self) -> dict[str, Any] | None:
        from carbonlint.judge import efficiency_for

        return efficiency_for(self)

    @functools.cached_property
    def grade(self) -> Grade:
        return grade(
            self.card.metadata,
            emissions_g=self.emissions_g,
            hardware=self.hardware,
            optimization_tags=self.config.optimization_tags,
            certification_tags=self.config.certification_tags,
        )


def enabled_codes(config: Config, path: str | None = None) -> frozenset[str]:
    """The codes that run for ``path``: the same for every file unless per-file-ignores apply."""
    return frozenset(code for code in all_rules() if config.enabled(code, path))


def check_card(card: Card, config: Config, enabled: frozenset[str] | None = None) -> CardReport:
    """The report of one card. Never raises: whatever goes wrong is said on this card's report,
    and a run over many cards goes on with the next one."""
    try:
        return _check_card(card, config, enabled)
    except Exception as exc:  # noqa: BLE001 - e.g. a bug while grading or labelling the card
        return _internal_error(CardReport(path=card.path), f"while judging the card: {exc!r}")


def _internal_error(report: CardReport, what: str) -> CardReport:
    report.error = f"internal error {what}; please report it with this card"
    report.internal_error = True
    return report


def _check_card(card: Card, config: Config, enabled: frozenset[str] | None) -> CardReport:
    report = CardReport(path=card.path)
    if card.unreadable is not None:
        report.error = card.unreadable
        report.internal_error = card.internal_error
        report.reporting_reason = "the card could not be read"
        return report
    context = Context(card, config)
    if enabled is None or config.per_file_ignores:
        enabled = enabled_codes(config, card.path)
    problems: list[Problem] = []
    failed: list[str] = []
    for check in all_checks():
        if check.codes.isdisjoint(enabled):
            continue
        if card.template and "CL007" not in check.codes:
            continue  # a template is not a card: CL007 says so, nothing else applies
        try:
            for problem in check.function(context):
                if problem.code in enabled:
                    problems.append(problem)
        except Exception as exc:  # noqa: BLE001 - a bug in one check must not stop the others
            failed.append(f"in check '{check.function.__name__}': {exc!r}")
    if failed:
        # The findings of the checks that ran are still reported; the card counts as not fully
        # checked (exit code 2), since a rule that should have run did not.
        _internal_error(report, "; ".join(failed))
    suppressed = _suppressions(card)
    for problem in problems:
        if _is_suppressed(problem, suppressed):
            continue
        rule = rule_of(problem.code)
        report.findings.append(
            Finding(
                code=problem.code,
                category=rule.category,
                severity=config.severity_of(problem.code, rule.severity),
                message=problem.message,
                span=problem.span,
                key=problem.key,
                suggestion=problem.suggestion,
                fix=problem.fix,
            )
        )
    report.findings.sort(key=Finding.sort_key)
    if card.template:
        report.graded = False
        report.reporting_reason = "a card template, not a card: not graded"
        return report
    report.emissions_g = context.emissions_g
    report.efficiency = context.efficiency
    report.reporting_class = context.grade.reporting_class
    report.reporting_reason = context.grade.reason
    report.next_step = context.grade.next_step
    report.fields_present = _fields_present(card)
    if context.emissions_g is not None:
        from carbonlint.lifecycle import completeness_note, phases_reported

        report.lifecycle_phases = phases_reported(card.co2)
        report.lifecycle_note = completeness_note(card.co2)
    # Only an estimate the checks already made: the report must not cost a check its speed.
    made = context.__dict__.get("estimate")
    report.estimate_g = made.grams if made is not None else None
    report.created_at = getattr(card.hub_info, "created_at", None)
    if config.show_estimate:
        from carbonlint.judging_details import judging_details

        report.judging = judging_details(context)
    if not any(p.code in _UNREADABLE for p in card.problems):
        report.emissions_stated = context.emissions_stated
        report.text_emissions = _text_emissions(context)
    return report


_UNREADABLE = frozenset({"CL001", "CL002", "CL004", "CL005", "CL006"})


def _text_emissions(context: Context) -> dict[str, Any] | None:
    """The text's figure for the JSON output, when the metadata has none."""
    stated = context.text_emissions
    if stated is None or context.emissions_g is not None:
        return None
    fact = stated.fact if stated.fact is not None else stated.candidates[0]
    return {
        "emissions_g": float(fact.value) if stated.fact is not None else None,
        "ambiguous": stated.fact is None,
        "line": fact.span.line,
        "text": fact.text.replace("**", ""),
        "basis": stated.basis,
    }


def _fields_present(card: Card) -> list[str]:
    co2 = card.co2
    if not card.has_co2:
        return []
    if not isinstance(co2, dict):
        return ["emissions"]
    return [f for f in SPEC_FIELDS if co2.get(f) not in (None, "")]


Suppressions = tuple[frozenset[str] | None, dict[int, frozenset[str] | None]]


def _codes(text: str | None) -> frozenset[str] | None:
    """None means every code."""
    if text is None:
        return None
    codes = frozenset(c.strip().upper() for c in text.split(",") if c.strip())
    return codes or None


def _suppressions(card: Card) -> Suppressions:
    whole_file: frozenset[str] | None = frozenset()
    match = _FILE.search(card.text) if "carbonlint" in card.text else None
    if match:
        whole_file = _codes(match.group("codes"))
    by_line: dict[int, frozenset[str] | None] = {}
    source = card.front_matter
    if source and "carbonlint" in source:
        first_line, _ = card.position(card.yaml_offset)
        lines = source.splitlines()
        # One pass from the end: the next line that is neither blank nor a comment, for every
        # line (a run of comment lines must not be rescanned from each of its lines).
        next_content = [0] * len(lines)
        following = None
        for index in range(len(lines) - 1, -1, -1):
            next_content[index] = following if following is not None else index
            stripped = lines[index].strip()
            if stripped and not stripped.startswith("#"):
                following = index
        for index, line in enumerate(lines):
            if "carbonlint" not in line:
                continue
            found = _INLINE.search(line)
            if not found:
                continue
            codes = _codes(found.group("codes"))
            target = index
            if not line[: found.start()].strip():
                # A comment alone on its line covers the next line that is not a comment.
                target = next_content[index]
            by_line[first_line + target] = codes
    return whole_file, by_line


def _covers(codes: frozenset[str] | None, code: str) -> bool:
    return codes is None or any(code.startswith(c) for c in codes)


def _is_suppressed(problem: Problem, suppressions: Suppressions) -> bool:
    whole_file, by_line = suppressions
    if whole_file is None or (whole_file and _covers(whole_file, problem.code)):
        return True
    if problem.span is not None and problem.span.line in by_line:
        return _covers(by_line[problem.span.line], problem.code)
    return False


# -- files ---------------------------------------------------------------------------------------


def is_model_card(name: str) -> bool:
    """Whether a file name is one of the default card names (README.md, *model_card*.md...)."""
    from carbonlint.discovery import DEFAULT_INCLUDE

    lower = name.lower()
    return any(fnmatch.fnmatchcase(lower, p.lower()) for p in DEFAULT_INCLUDE)


def expand_paths(paths: Iterable[str], config: Config | None = None,
                 tally: Tally | None = None) -> Iterator[str]:
    """Files as given; directories searched for cards, with the configuration's include and
    exclude globs (carbonlint.discovery); what was left out is counted in ``tally``."""
    from carbonlint.discovery import find_cards

    config = config or Config()
    return find_cards(paths, include=config.include,
                      exclude=config.exclude + config.extend_exclude,
                      root=config.root, tally=tally)


def report_for_path(path: str, config: Config, enabled: frozenset[str]) -> CardReport:
    """One card's report, from its path: what a single process and every pool worker run."""
    card = read_card(path)
    # Asked only of a card that could not be read: one system call less for every other card.
    if card.unreadable is not None and not os.path.exists(path):
        return CardReport(path=path, error="no such file", reporting_reason="the card could not be read")
    return check_card(card, config, enabled)


def check_paths(paths: Iterable[str], config: Config, *, jobs: int = 1,
                tally: Tally | None = None) -> Iterator[CardReport]:
    """Lint each card; one unreadable or hostile file never stops the others.

    With ``jobs`` > 1 and enough cards, worker processes check them (carbonlint.pool); the
    reports come out in the same order and are the same. ``tally`` counts what a directory
    search left out (carbonlint.discovery).
    """
    enabled = enabled_codes(config)
    found = expand_paths(paths, config, tally)
    if jobs > 1:
        from itertools import chain, islice

        from carbonlint.pool import MIN_CARDS_FOR_POOL, check_in_pool

        first = list(islice(found, MIN_CARDS_FOR_POOL))
        if len(first) == MIN_CARDS_FOR_POOL:
            yield from check_in_pool(chain(first, found), config, enabled, jobs)
            return
        found = iter(first)
    for path in found:
        yield report_for_path(path, config, enabled)
