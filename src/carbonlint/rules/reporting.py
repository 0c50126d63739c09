"""Reporting rules (CL2xx): what is missing for a complete report or a better class."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from carbonlint.card import CO2_KEY
from carbonlint.findings import Category, Fix, Problem, Severity
from carbonlint.grade import rank
from carbonlint.placeholders import is_placeholder
from carbonlint.rules import check, rule
from carbonlint.stated import under_foreign_label
from carbonlint.units import format_grams

if TYPE_CHECKING:
    from carbonlint.checker import Context

R, E, W, I = Category.REPORTING, Severity.ERROR, Severity.WARNING, Severity.INFO
_UNREADABLE = frozenset({"CL001", "CL002", "CL004", "CL005"})

rule(
    "CL200", "emissions-not-reported", R, E,
    "The card does not report co2_eq_emissions (only with --require-emissions).",
    """
    By default a card without co2_eq_emissions is not an error: it is graded 'unknown'. With
    --require-emissions (or require-emissions = true in the configuration), for example in an
    organisation that has decided every model reports its training emissions, it is.
    The finding points at the front matter, or at the top of a card that has none.
    """,
    failing="""
    ---
    license: apache-2.0
    ---
    """,
    passing="""
    ---
    license: apache-2.0
    co2_eq_emissions: 1430.2
    ---
    """,
)

rule(
    "CL210", "below-min-class", R, E,
    "The card's reporting class is below the required --min-class.",
    """
    --min-class (or min-class in the configuration) sets the lowest acceptable reporting class:
    unknown < context < basic < awareness < optimization < certified. A card below it fails the
    run (exit code 1) and gets this finding, which says what to add to climb. The examples assume
    --min-class awareness.
    """,
    failing="""
    ---
    co2_eq_emissions: 1430.2
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      hardware_used: 4 x A100 40GB
    ---
    """,
)


rule(
    "CL201", "hardware-missing", R, W,
    "Emissions are reported without the hardware that produced them.",
    """
    Without hardware_used a reader cannot tell a 2-hour fine-tune on one GPU from weeks on a
    cluster, and the card stays in the 'basic' reporting class; with it, the card reaches
    'awareness'. Name the devices with their count: "8 x A100 80GB", "1 x T4", "TPU v3-8". When the
    card's text already names the hardware ("Hardware Type:" in the Hub template, "GPU Model:" in
    Sentence-Transformers cards), the card counts as reporting it (see CL208) and this rule is
    quiet.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      source: CodeCarbon
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      source: CodeCarbon
      hardware_used: 4 x A100 40GB
    ---
    """,
)

rule(
    "CL202", "location-missing", R, W,
    "co2_eq_emissions does not give geographical_location (a bare number cannot).",
    """
    The same training run emits ten times more CO2 on a coal-heavy grid than on a hydro-powered
    one, so the location is what makes the number checkable. A country, a region or a cloud
    region is enough: "France", "Quebec, Canada", "us-east-1", "europe-west4". The bare-number
    form (co2_eq_emissions: 12.5) has the same gap as a mapping without the key and gets the
    same warning; its help points at carbonlint fix --mapping-form. When the card's text names
    the place (the template's "Compute Region:" line), the message says where, so that it can
    be copied. Cards AutoTrain generated get CL209 instead.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      hardware_used: 4 x A100 40GB
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      hardware_used: 4 x A100 40GB
      geographical_location: us-east-1
    ---
    """,
)

rule(
    "CL203", "source-missing", R, I,
    "The mapping form does not say where the number comes from (source).",
    """
    A measured figure (CodeCarbon, a power meter) and an estimate (ML CO2 Impact calculator)
    deserve different trust. Name the tool or the paper: "CodeCarbon", "ML CO2 Impact",
    "AutoTrain", a URL.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      hardware_used: 4 x A100 40GB
      geographical_location: us-east-1
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      hardware_used: 4 x A100 40GB
      geographical_location: us-east-1
      source: CodeCarbon
    ---
    """,
)

rule(
    "CL204", "training-type-missing", R, I,
    "The mapping form does not say whether the number covers pre-training or fine-tuning.",
    """
    A fine-tune's emissions exclude the base model's pre-training; readers comparing models need
    to know which one the number covers. Write 'pre-training' or 'fine-tuning'.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      source: CodeCarbon
      hardware_used: 4 x A100 40GB
      geographical_location: us-east-1
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      source: CodeCarbon
      training_type: fine-tuning
      hardware_used: 4 x A100 40GB
      geographical_location: us-east-1
    ---
    """,
)

rule(
    "CL205", "number-only", R, I,
    "co2_eq_emissions is a bare number; the mapping form can say how it was obtained.",
    """
    The short form (co2_eq_emissions: 12.5) is valid, and AutoTrain writes it, but it says
    nothing about the source, the training type, the location or the hardware. The mapping form
    keeps the number under 'emissions' and adds them. (The missing hardware, which decides the
    reporting class, is reported separately by CL201.) carbonlint fix --mapping-form rewrites the
    short form as the mapping, with the number under 'emissions'.
    """,
    failing="""
    ---
    co2_eq_emissions: 12.5
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 12.5
      source: AutoTrain
      training_type: fine-tuning
      geographical_location: us-east-1
      hardware_used: 1 x T4
    ---
    """,
    fixable=True,
)

rule(
    "CL206", "placeholder-value", R, W,
    "A co2_eq_emissions field holds a placeholder ([More Information Needed], TBD, N/A, unknown).",
    """
    A placeholder is not information, and tools that read the metadata take it for a value
    ("unknown" becomes a location). Write the value, or remove the key until it is known. (An
    'emissions' placeholder is a schema error: CL102.)
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      hardware_used: "[More Information Needed]"
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      hardware_used: 4 x A100 40GB
    ---
    """,
)

rule(
    "CL207", "hardware-only-in-text", R, I,
    "The card's text names the hardware, but the metadata does not.",
    """
    carbonlint (like Castaño et al.) counts a "Hardware Type:" or "GPU Model:" line in the card's
    text as reported hardware, but tools that read the metadata (the Hub's search, dashboards,
    studies) do not see it. Copy it into hardware_used.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
    ---

    ## Environmental Impact

    - **Hardware Type:** 4 x A100 40GB
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 1430.2
      hardware_used: 4 x A100 40GB
    ---

    ## Environmental Impact

    - **Hardware Type:** 4 x A100 40GB
    """,
)

rule(
    "CL208", "template-placeholders", R, I,
    "The card's Environmental Impact section still holds the template's placeholders.",
    """
    The Hub's model card template asks for the hardware type, hours used, cloud provider,
    compute region and carbon emitted, each pre-filled with [More Information Needed]. Left like
    that, the section promises a report it does not give. Fill the fields (the ML CO2 Impact
    calculator or CodeCarbon give the numbers) or remove the section.
    """,
    failing="""
    ---
    license: mit
    ---

    ## Environmental Impact

    - **Hardware Type:** [More Information Needed]
    - **Hours used:** [More Information Needed]
    """,
    passing="""
    ---
    license: mit
    ---

    ## Environmental Impact

    - **Hardware Type:** 1 x A100 40GB
    - **Hours used:** 6
    """,
)

rule(
    "CL209", "generated-card-fields-missing", R, I,
    "A card AutoTrain or AutoNLP generated reports the emissions only: one note for what is missing.",
    """
    AutoTrain (and AutoNLP before it) measures a job's emissions with CodeCarbon and writes them
    into the card, but not the hardware, the location, the source or the training type, and the
    person who started the job often cannot know where it ran. On real cards such generated
    cards drew almost every CL201 and CL202 warning: true, and not something their authors can
    act on. So a generated card (tag autotrain or autonlp, or AutoTrain's "Model Trained Using
    AutoTrain" heading or "CO2 Emissions (in grams)" line) gets this one info instead of CL201,
    CL202, CL203 and CL204; it lists the missing fields and says what is known for certain
    (source: AutoTrain). Ignore CL209 (or raise its severity) to get the four rules back on
    such cards.
    """,
    failing="""
    ---
    tags:
    - autotrain
    - text-classification
    co2_eq_emissions:
      emissions: 19.1164
    ---

    # Model Trained Using AutoTrain

    - Problem type: Multi-class Classification
    - CO2 Emissions (in grams): 19.1164
    """,
    passing="""
    ---
    tags:
    - autotrain
    - text-classification
    co2_eq_emissions:
      emissions: 19.1164
      source: AutoTrain
      training_type: fine-tuning
      geographical_location: us-east-1
      hardware_used: 1 x A10G
    ---

    # Model Trained Using AutoTrain

    - Problem type: Multi-class Classification
    - CO2 Emissions (in grams): 19.1164
    """,
)

_FIELD_EXAMPLES = {
    "geographical_location": ("CL202", "add 'geographical_location: <country or cloud region>', e.g. us-east-1"),
    "source": ("CL203", "add 'source: <tool or paper>', e.g. CodeCarbon"),
    "training_type": ("CL204", "add 'training_type: fine-tuning' (or pre-training)"),
}


@check("CL201", "CL202", "CL203", "CL204", "CL205", "CL209")
def missing_fields(context: Context) -> Iterator[Problem]:
    card = context.card
    if context.emissions_g is None:
        return  # nothing reported yet: the emissions themselves come first
    if context.emissions_g == 0:
        from carbonlint.rules.consistency import nothing_trained

        if nothing_trained(context) is not None:
            return  # nothing was trained: no training hardware or place to name
    co2 = card.co2
    key_span = card.span_of(CO2_KEY, key=True)
    from carbonlint.rules.values import KNOWN_KEYS, meant_key

    # A misspelled key (geographic_location) is CL107's finding; do not also call it missing.
    misspelled = ({meant_key(str(k)) for k in co2 if k not in KNOWN_KEYS}
                  if isinstance(co2, dict) else set())
    missing: list[Problem] = []
    if context.hardware is None and "hardware_used" not in misspelled:
        missing.append(Problem(
            "CL201",
            f"hardware_used is missing: the card stays in class '{context.grade.reporting_class}'"
            " until it names the hardware that trained the model",
            span=key_span, key=f"{CO2_KEY}.hardware_used",
            suggestion="add 'hardware_used: <count> x <device>', e.g. 8 x A100 80GB",
        ))
    if not isinstance(co2, dict):
        # The bare number has the same gap as a mapping without the key (CL202 alike for both);
        # source and training type are CL205's business in this form.
        missing.append(_location_missing(context, key_span, bare=True))
    else:
        for name, (code, suggestion) in _FIELD_EXAMPLES.items():
            if co2.get(name) in (None, "") and name not in misspelled:
                missing.append(_location_missing(context, key_span, bare=False) if code == "CL202"
                               else Problem(code, f"{name} is missing from co2_eq_emissions",
                                            span=key_span, key=f"{CO2_KEY}.{name}",
                                            suggestion=suggestion))
    tool = _generator(context) if missing else None
    if tool is not None:
        yield _generated_note(context, tool, missing, key_span)
    else:
        yield from missing
    if not isinstance(co2, dict):
        yield Problem(
            "CL205",
            "co2_eq_emissions is only a number; the mapping form can add source, training_type, "
            "geographical_location and hardware_used",
            span=card.span_of(CO2_KEY), key=CO2_KEY,
            suggestion=f"write 'co2_eq_emissions:' then '  emissions: {format_grams(context.emissions_g)}' and the "
            "other keys below it", fix=_mapping_fix(context),
        )


def _location_missing(context: Context, key_span: Any, *, bare: bool) -> Problem:
    """CL202, in both forms; when the text names the place, the message says where."""
    fact = next((f for f in context.prose.of("location") if isinstance(f.value, str)
                 and f.source != "free-text" and not is_placeholder(f.value)), None)
    where = (f"; the text gives it on line {fact.span.line} ({fact.written_label}: {fact.value})"
             if fact is not None else "")
    value = str(fact.value) if fact is not None else "<country or cloud region>"
    if bare:
        return Problem(
            "CL202",
            "geographical_location is missing: co2_eq_emissions is only a number, which cannot "
            f"say where the model was trained{where}",
            span=key_span, key=f"{CO2_KEY}.geographical_location",
            suggestion=f"write the mapping form (carbonlint fix --mapping-form) and add "
            f"'geographical_location: {value}'" + ("" if fact else ", e.g. us-east-1"),
        )
    return Problem(
        "CL202", f"geographical_location is missing from co2_eq_emissions{where}",
        span=key_span, key=f"{CO2_KEY}.geographical_location",
        suggestion=f"add 'geographical_location: {value}'" + ("" if fact else ", e.g. us-east-1"),
    )


def _generator(context: Context) -> str | None:
    """AutoTrain/AutoNLP when it generated the card and CL209 is on (else the four rules)."""
    if not context.config.enabled("CL209", context.card.path):
        return None
    from carbonlint.generated import generator

    return generator(context.card.metadata, context.card.body)


def _generated_note(context: Context, tool: str, missing: list[Problem], key_span: Any) -> Problem:
    names = [p.key.rsplit(".", 1)[-1] for p in missing if p.key]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    steps = [f"add 'source: {tool}' (that much is certain)"] if "source" in names else []
    if {"hardware_used", "geographical_location"} & set(names):
        steps.append("add hardware_used and geographical_location only if you know where the "
                     "job ran")
    return Problem(
        "CL209",
        f"{tool} generated this card, and {tool} does not record {listed}: "
        f"{'it is' if len(names) == 1 else 'they are'} missing (class "
        f"'{context.grade.reporting_class}')",
        span=key_span, key=CO2_KEY, suggestion="; ".join(steps) or None,
    )


def _mapping_fix(context: Context) -> Fix | None:
    """The short form rewritten as the mapping (applied only with --mapping-form)."""
    from carbonlint.fix import scalar_to_mapping

    edit = scalar_to_mapping(context.card)
    return Fix(edit[0], edit[1], "write the mapping form") if edit is not None else None



@check("CL206")
def placeholder_values(context: Context) -> Iterator[Problem]:
    card = context.card
    co2 = context.co2_fields
    if co2 is None:
        return
    for name, value in co2.items():
        if name != "emissions" and is_placeholder(value):
            yield Problem(
                "CL206", f"{CO2_KEY}.{name} is a placeholder ({value!r}), not a value",
                span=card.span_of(CO2_KEY, name), key=f"{CO2_KEY}.{name}",
                suggestion=f"write the {name.replace('_', ' ')}, or remove the key until it is known",
            )


@check("CL207")
def hardware_only_in_text(context: Context) -> Iterator[Problem]:
    if context.metadata_hardware is not None:
        return  # checked first: it spares reading the prose
    fact = context.prose_hardware
    if fact is None:
        return
    yield Problem(
        "CL207",
        f"the card's text gives the hardware ({fact.written_label}: {fact.value}) but co2_eq_emissions "
        "does not; tools that read the metadata miss it",
        span=fact.span, key=f"{CO2_KEY}.hardware_used",
        suggestion=f"add 'hardware_used: {fact.value}' to co2_eq_emissions",
    )


@check("CL208")
def template_placeholders(context: Context) -> Iterator[Problem]:
    placeholders = [f for f in context.prose.of("placeholder") if f.source == "hub-template"
                    and not under_foreign_label(f, context.foreign_subjects)]
    if not placeholders:
        return
    names = list(dict.fromkeys(f.field or "?" for f in placeholders))
    # Each placeholder as written, once: "'Not measured', 'Not recorded'".
    said = ", ".join(dict.fromkeys(_shown(f.text) for f in placeholders))
    verb = "says" if len(names) == 1 else "say"
    yield Problem(
        "CL208",
        f"the Environmental Impact section is unfilled: {', '.join(names)} still {verb} {said}",
        span=placeholders[0].span,
        suggestion="fill the fields (CodeCarbon or the ML CO2 Impact calculator give them) or "
        "remove the section",
    )


def _shown(text: str) -> str:
    return f"'{text}'" if text.strip() else "nothing"


@check("CL200")
def emissions_not_reported(context: Context) -> Iterator[Problem]:
    card = context.card
    # When the metadata could not be read at all, the parse finding already says so.
    unreadable = any(p.code in _UNREADABLE for p in card.problems)
    if context.config.require_emissions and not card.has_co2 and not unreadable:
        yield Problem(
            "CL200",
            "the card does not report co2_eq_emissions, and this run requires it",
            span=card.start_span(), key="co2_eq_emissions",
            suggestion="add 'co2_eq_emissions: <grams of CO2>' to the front matter "
            "(CodeCarbon measures it: https://codecarbon.io)",
        )


@check("CL210")
def below_min_class(context: Context) -> Iterator[Problem]:
    wanted = context.config.min_class
    grade = context.grade
    if wanted is None or rank(grade.reporting_class) >= rank(wanted):
        return
    if any(p.code in _UNREADABLE for p in context.card.problems):
        return  # the parse finding comes first; the class of unread metadata says nothing
    card = context.card
    span = card.span_of("co2_eq_emissions", key=True) or card.start_span()
    step = f"; next: {grade.next_step}" if grade.next_step else ""
    yield Problem(
        "CL210",
        f"reporting class '{grade.reporting_class}' is below the required '{wanted}' "
        f"({grade.reason}){step}",
        span=span, key="co2_eq_emissions",
    )
