"""Read the emissions facts a model card states in its Markdown body.

The metadata says one thing; the prose often says another. This module only *reads* the prose:
it returns :class:`Fact` objects with file positions, and the rules decide what a disagreement
means. Four formats are recognised (details and decisions in ``docs/prose.md``):

* the Hub model card template's "Environmental Impact" list (``- **Hours used:** 36``),
* AutoTrain/AutoNLP's ``- CO2 Emissions (in grams): 3.7680``,
* Sentence-Transformers/SetFit's CodeCarbon list (``- **Carbon Emitted**: 0.012 kg of CO2``),
* free prose ("emitted 24.7 tonnes of CO2eq", "433 MWh", "trained for 3 days on 8 A100s").

Free prose is read for precision, not recall: a fact that is not there becomes a false alarm
later, a missed one only a missed check.

Speed, since this runs in a pre-commit hook on every card: code, comments and inline code are
blanked out line by line (keeping every column), the result is lower-cased once, and a few
regexes run over it. Each regex begins with a literal or a character class, so the engine skips
ahead instead of trying every position, and none has nested unbounded repetition, so the work is
linear in the size of the body. The regexes are compiled on first use, not at import.

The package, one module per idea: ``model`` (Fact, ProseFacts), ``units`` (figures and units),
``vocabulary`` (template fields and labels), ``patterns`` (the regexes), ``masking`` and ``body``
(the text the patterns run on), ``fields`` (structured lines), ``free_text`` and ``training_run`` (free prose),
``subjects`` (blocks labelled as a named model's) and ``reader`` (:func:`extract`).
"""

from carbonlint.prose.model import Fact, ProseFacts
from carbonlint.prose.reader import extract

__all__ = ["Fact", "ProseFacts", "extract"]
