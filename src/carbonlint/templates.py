"""Card templates: a front matter that is a Jinja template, not metadata.

Libraries ship the card they fill in for their users (huggingface_hub's ``modelcard_template.md``,
LeRobot's, trainers' own): its front matter is ``{{ card_data }}`` or a ``{% for ... %}`` block,
which YAML cannot read, and its emissions are whatever the template will be given. Linting it as a
card would report an invalid YAML that is no mistake; carbonlint says once that it is a template.

Only a template tag that *starts* a line's value counts (``{{ card_data }}``, ``license: {{
license }}``, ``- "{{ tag }}"``, ``{% if ... %}``): a double brace inside a text (a widget
prompt "Answer {{question}}") does not make a card a template.
"""

from __future__ import annotations

import re

from carbonlint.record import Record


# Optional list dash, optional "key:", optional quote, then {{ ... }} or {% ... %} on the line.
_TAG = re.compile(
    r"^[ \t]*(?:-[ \t]+)?(?:[^\s#'\"{][^:#\n]*:[ \t]+)?[\"']?"
    r"(?P<tag>\{\{[^\n]*?\}\}|\{%-?[ \t]*[a-z][^\n]*?%\})",
    re.MULTILINE,
)


class TemplateTag(Record):
    offset: int  # where the tag starts in the front matter
    text: str  # the tag as written ("{{ card_data }}")


def template_tag(front_matter: str) -> TemplateTag | None:
    """The first Jinja tag that starts a value of the front matter, or None."""
    if "{{" not in front_matter and "{%" not in front_matter:
        return None  # the common case: one substring search per card
    match = _TAG.search(front_matter)
    if match is None:
        return None
    return TemplateTag(match.start("tag"), match["tag"])
