"""Parse rules (CL0xx): the card cannot be read, or its front matter is not usable metadata.

The reader (:mod:`carbonlint.card`) finds these while splitting and parsing the card; the check
below only hands them on, so that selection, severity and suppression treat them like any other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from carbonlint.findings import Category, Problem, Severity
from carbonlint.rules import check, rule

if TYPE_CHECKING:
    from carbonlint.checker import Context

P, E, W = Category.PARSE, Severity.ERROR, Severity.WARNING

rule(
    "CL001", "invalid-yaml", P, E,
    "The front matter is not valid YAML.",
    """
    The block between the opening and closing '---' lines must be YAML. When it is not, the Hub
    cannot read any of the card's metadata (license, tags, co2_eq_emissions...). carbonlint reports
    the parser's message at the line and column where the parser stopped. Tabs used for
    indentation and unclosed brackets or quotes are the usual causes. YAML tags that construct
    program objects (``!!python/object``) are refused here too: the Hub's safe loader refuses them.
    """,
    failing="""
    ---
    co2_eq_emissions: [12.5
    ---
    """,
    passing="""
    ---
    co2_eq_emissions: 12.5
    ---
    """,
)

rule(
    "CL002", "front-matter-not-mapping", P, E,
    "The front matter is a list or a single value, not a mapping.",
    """
    Model card metadata is a mapping of keys (``license``, ``tags``, ``co2_eq_emissions``...) to
    values. A front matter that is a list or a bare value is rejected by huggingface_hub
    ("repo card metadata block should be a dict").
    """,
    failing="""
    ---
    - co2_eq_emissions: 12.5
    ---
    """,
    passing="""
    ---
    co2_eq_emissions: 12.5
    ---
    """,
)

rule(
    "CL003", "duplicate-key", P, W,
    "A key is given twice in the same mapping; the Hub keeps the last one.",
    """
    YAML forbids repeated keys, but PyYAML (and so the Hub) accepts them and silently keeps the
    last value. The first one, often the one the author meant, is lost without a word.
    """,
    failing="""
    ---
    co2_eq_emissions: 12.5
    license: mit
    co2_eq_emissions: 0
    ---
    """,
    passing="""
    ---
    co2_eq_emissions: 12.5
    license: mit
    ---
    """,
)

rule(
    "CL004", "not-utf8", P, E,
    "The file is not UTF-8 text (or is binary).",
    """
    The Hub reads model cards as UTF-8. A card saved in another encoding (Latin-1, UTF-16) or a
    binary file named like a card cannot be read. The finding gives the offset of the first byte
    that is not UTF-8.
    """,
    failing="""
    ---
    co2_eq_emissions:
      emissions: 12.5
      geographical_location: Qu\\xe9bec   (saved as Latin-1: the byte 0xe9 is not UTF-8)
    ---
    """,
    passing="""
    ---
    co2_eq_emissions:
      emissions: 12.5
      geographical_location: Québec   (saved as UTF-8)
    ---
    """,
)

rule(
    "CL005", "front-matter-too-large", P, E,
    "The front matter is too large, too deep, or expands through aliases beyond the limits.",
    """
    carbonlint refuses metadata that no real card has and that would exhaust memory or the stack:
    more than 10 million characters, nesting deeper than 200 levels, more than a million values
    once YAML aliases are expanded (the "billion laughs" attack), or a recursive alias. Nothing
    else in such a card is checked.
    """,
    failing="""
    ---
    co2_eq_emissions: &loop [*loop]
    ---
    """,
    passing="""
    ---
    co2_eq_emissions: 12.5
    ---
    """,
)

rule(
    "CL006", "unclosed-front-matter", P, E,
    "The card opens a front matter block with '---' but never closes it.",
    """
    The Hub only reads metadata between an opening '---' line and a closing '---' line. Without
    the closing line the whole card is taken as text and no metadata at all is read.
    """,
    failing="""
    ---
    co2_eq_emissions: 12.5

    # My model
    """,
    passing="""
    ---
    co2_eq_emissions: 12.5
    ---

    # My model
    """,
)


rule(
    "CL007", "template-front-matter", P, Severity.INFO,
    "The front matter is a Jinja template (a library's card template), not a card's metadata.",
    """
    Libraries keep the model card they fill in for their users as a template: huggingface_hub's
    modelcard_template.md starts its front matter with {{ card_data }}, others with {% for ... %}
    blocks. YAML cannot read such a block and its values are not known until the template is
    filled, so carbonlint says once that the file is a template and checks nothing else in it
    (it is not graded and never fails --min-class). Check the cards the template produces. A
    tag counts only where it starts a value; a double brace inside a text does not.
    """,
    failing="""
    ---
    # For reference on model card metadata, see the spec
    {{ card_data }}
    ---

    # Model Card for {{ model_id | default("Model ID", true) }}
    """,
    passing="""
    ---
    license: apache-2.0
    co2_eq_emissions: 1430.2
    ---

    # Model Card for acme/bert-tiny-sst2
    """,
)


@check("CL001", "CL002", "CL003", "CL004", "CL005", "CL006", "CL007")
def reader_problems(context: Context) -> Iterator[Problem]:
    yield from context.card.problems
