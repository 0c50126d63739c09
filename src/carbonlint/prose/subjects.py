"""Blocks of the text that a label gives to a named model: "**Stable Diffusion v1** **Estimated
Emissions**" (or a heading "### DALL·E Mega Estimated Emissions") and the list under it.

The Stable Diffusion model card names the model whose emissions its "Environmental Impact"
list gives, and the cards derived from it copy the block: a fine-tune's card keeps "**Stable
Diffusion v1** **Estimated Emissions**" with the base model's 11,250 kg and 150,000 A100-hours,
and adds "**fAIrytale fine tunning** **Estimated Emissions** Still to be determined." The reader
only finds these labels and the lines they cover; :mod:`carbonlint.stated` compares the name with
the card's own names and decides whose figures they are.
"""

from __future__ import annotations

import re


from carbonlint.prose.body import Body
from carbonlint.record import Record

# "**Würstchen v1** **Estimated Emissions**", "**Stable Diffusion v1 Estimated Emissions**",
# "**Estimated Emissions of Stable Diffusion v1**". The name is at most a few words: a long
# bold line is a sentence, not a label.
_LABEL = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+)?(?:"
    r"\*\*(?P<a>[^*\n]{2,60}?)[ \t]*\*\*[ \t]*\*\*[ \t]*estimated[ \t]+(?:co2[ \t]+)?emissions[ \t]*:?[ \t]*\*\*"
    r"|\*\*(?P<b>[^*\n]{2,60}?)[ \t]+estimated[ \t]+(?:co2[ \t]+)?emissions[ \t]*:?[ \t]*\*\*"
    r"|\*\*[ \t]*estimated[ \t]+(?:co2[ \t]+)?emissions[ \t]+(?:of|for)[ \t]+(?P<c>[^*\n]{2,60}?)[ \t]*:?[ \t]*\*\*"
    # the DALL·E Mini card's sub-headings: "### DALL·E Mega Estimated Emissions"
    r"|\#{2,6}[ \t]+(?P<d>[^#\n]{2,60}?)[ \t]+estimated[ \t]+(?:co2[ \t]+)?emissions[ \t]*:?[ \t]*$"
    r")",
    re.M,
)


class Subject(Record):
    """A label naming a model, and the file lines it covers (``first`` to ``end``, exclusive):
    from the label to the next label or heading."""

    name: str
    first: int
    end: int

    def covers(self, line: int) -> bool:
        return self.first <= line < self.end


def subject_blocks(body: Body) -> tuple[Subject, ...]:
    if "estimated" not in body.folded:
        return ()  # most cards: one substring test
    labels = []
    for match in _LABEL.finditer(body.folded):
        group = next(group for group in "abcd" if match[group] is not None)
        start, name = match.start(group), match[group]
        text, span = body.located(start, start + len(name))
        labels.append((span.line, text.strip(" \t")))
    if not labels:
        return ()
    heading_lines = [
        body.first_line + index for index, line in enumerate(body.text.split("\n"))
        if line.lstrip(" ").startswith("#")
    ]
    last = body.first_line + len(body.lines)
    blocks = []
    for index, (line, name) in enumerate(labels):
        end = labels[index + 1][0] if index + 1 < len(labels) else last
        # The block ends at the next heading (a label that is a heading ends at the next one).
        end = min([end] + [heading for heading in heading_lines if line < heading < end])
        blocks.append(Subject(name, line, end))
    return tuple(blocks)
