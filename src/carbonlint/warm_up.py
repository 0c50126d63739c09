"""What a pool's workers would each load on their first cards, loaded once in the parent.

Checking a card loads a good deal on first use: the schema validator (jsonschema), the Hub
baselines and their peer groups, the prose reader's patterns, the hardware and grid tables, the
fix and estimate modules. A forked worker that starts cold pays all of it again (about a quarter
of a second of CPU per worker, measured over the corpus of bench/corpus.py), while a worker
forked after the parent has paid it once inherits it all. So before forking, the parent checks
these few cards (written here, never read from disk) and drops their reports: between them they
take the paths a real run takes (a value the schema refuses, a label from the baselines, figures
and hardware in the text, the fix that writes them into the metadata).

Nothing of a warm-up card reaches a report: the reports are only what each card's own check
gives, whatever ran before it in the process (the pool's tests compare them byte for byte with
one process's).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from carbonlint.config import Config

# A mapping with a value the schema refuses (jsonschema's validator and its messages), hardware,
# a location and prose: template fields, a table, free-text figures, a fine-tune statement.
_INVALID_MAPPING = """---
license: apache-2.0
base_model: bert-base-uncased
tags:
- text-classification
co2_eq_emissions:
  emissions: "1.2 kg"
  source: CodeCarbon
  training_type: fine-tuning
  geographical_location: Frankfurt, Germany
  hardware_used: 4 x NVIDIA A100 40GB
  hours_used: 12
model-index:
- name: warm-up-model
  results:
  - task: {type: text-classification}
    metrics:
    - {type: accuracy, value: 0.91}
    - {type: f1, value: 0.89}
---
# warm-up-model

This model is a fine-tuned version of [bert-base-uncased](https://huggingface.co/bert-base-uncased).
No further training was done after that.

## Environmental Impact

- **Hardware Type:** 4 x A100 40GB
- **Hours used:** 12
- **Cloud Provider:** AWS
- **Compute Region:** eu-central-1
- **Carbon Emitted:** 1.2 kg CO2eq

Training took 48 GPU hours and emitted 1,200 g of CO2, equivalent to a short car trip.
In aggregate, all 3 models used 14 kWh of energy (location-based).

| Model | CO2 (kg) | Energy (kWh) |
|---|---|---|
| warm-up-model | 1.2 | 4.1 |

Time: 12 hours on 4 x A100
```python
trainer.train()
```
<!-- a comment -->
"""

# A valid report: the efficiency label (baselines, peer group, outlier) and the estimate.
_VALID_MAPPING = """---
co2_eq_emissions:
  emissions: 38.36
  source: CodeCarbon
  training_type: fine-tuning
  geographical_location: Frankfurt, Germany
  hardware_used: 1 x NVIDIA A100 40GB
tags:
- autotrain
model-index:
- name: warm-up-model
  results:
  - task: {type: text-classification}
    metrics:
    - {type: accuracy, value: 0.91}
---
# warm-up-model

Trained for 2 hours on one A100.
"""

# Emissions in the text only: the rule that offers to write them (the fix module).
_TEXT_ONLY = """---
license: mit
---
# warm-up-model

## Environmental Impact

- **Hardware Type:** 8 x V100
- **Hours used:** 30
- **Carbon Emitted:** 2.4 kg CO2eq
"""

WARM_UP_CARDS = (_INVALID_MAPPING, _VALID_MAPPING, _TEXT_ONLY)


def warm_up(config: Config, enabled: frozenset[str]) -> None:
    """Check the warm-up cards in this process and drop the reports."""
    from carbonlint.card import parse_card
    from carbonlint.checker import check_card

    # A folder that cannot exist (os.devnull is a file): nothing beside the card is read.
    path = os.path.join(os.devnull, "warm-up", "README.md")
    for text in WARM_UP_CARDS:
        try:
            check_card(parse_card(text, path), config, enabled)
        except Exception:  # noqa: BLE001, S112 - a warm-up is only ever an optimisation
            continue
