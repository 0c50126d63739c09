"""Realistic model cards for the report and label tests (written here, not copied from the Hub)."""

from __future__ import annotations

from pathlib import Path

CARDS = {
    # An AutoTrain text classifier: emissions only (class basic), AutoTrain's body line agrees.
    "acme/autotrain-reviews-41/README.md": """---
tags:
- autotrain
- text-classification
language:
- en
datasets:
- acme/autotrain-data-reviews
pipeline_tag: text-classification
co2_eq_emissions:
  emissions: 2.9184
---

# Model Trained Using AutoTrain

- Problem type: Binary Classification
- Model ID: 4153
- CO2 Emissions (in grams): 2.9184

## Validation Metrics

- Loss: 0.231
- Accuracy: 0.912
""",
    # A fine-tune that measured with CodeCarbon and names hardware, hours and region (awareness),
    # and whose number agrees with the physics (8 x A100 for 12 h in France).
    "acme/bert-legal-ner/README.md": """---
license: apache-2.0
pipeline_tag: token-classification
co2_eq_emissions:
  emissions: 2600
  source: CodeCarbon
  training_type: fine-tuning
  geographical_location: Paris, France
  hardware_used: 8 x A100 40GB
  hours_used: 12
model-index:
- name: bert-legal-ner
  results:
  - task: {type: token-classification}
    metrics:
    - {type: f1, value: 0.914}
---

# bert-legal-ner

Fine-tuned on 40,000 annotated French court decisions.
""",
    # The classic slip: kilograms written in the grams field (plausibility CL401).
    "acme/vit-plants/README.md": """---
pipeline_tag: image-classification
co2_eq_emissions:
  emissions: 9.8
  source: estimated with the ML CO2 Impact calculator
  training_type: fine-tuning
  geographical_location: Iowa, USA (GCP us-central1)
  hardware_used: 4 x V100
  hours_used: 20
---

# vit-plants

A ViT fine-tuned on 12,000 photographs of house plants.
""",
    # Hardware but no emissions (class context), a misspelled key.
    "acme/whisper-tiny-gl/README.md": """---
pipeline_tag: automatic-speech-recognition
co2_eq_emissions:
  source: none
  hardware_used: 1 x RTX 3090
  geographic_location: Galicia, Spain
---

# whisper-tiny-gl
""",
    # No co2_eq_emissions at all (class unknown).
    "acme/t5-small-summaries/README.md": """---
license: mit
pipeline_tag: summarization
---

# t5-small-summaries

Summaries of news articles.
""",
    # Emissions written as text with a unit (schema error CL106), still understood as grams.
    "acme/distil-sentiment/README.md": """---
pipeline_tag: text-classification
tags:
- distilled
co2_eq_emissions:
  emissions: "150 g"
  hardware_used: 1 x T4
---

# distil-sentiment
""",
}


def write_cards(folder: Path, cards: dict[str, str] | None = None) -> list[Path]:
    written = []
    for name, text in (cards or CARDS).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
