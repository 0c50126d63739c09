"""A corpus of distinct, realistic model cards, generated deterministically from a seed.

    python bench/corpus.py DIR --cards 10000 [--seed 2023]

Used by ``bench/many_cards.py`` and by the pool's tests. Every card differs from every other in
its bytes (its own model name, numbers, model-index, body), so no memo or cache keyed on content
can win by repetition: a figure measured on this corpus is the cost of checking that many cards.

The mix follows what the Hub holds (bench/README.md): cards without any emissions report,
AutoTrain cards with a bare number, Sentence-Transformers/SetFit cards with CodeCarbon's mapping,
the Hub template's "Environmental Impact" section filled in prose (with or without metadata),
cards with mistakes (a kilogram figure in the grams field, a string with a unit, a placeholder,
a misspelt key, a location the grid table does not know) and a few that do not parse. Bodies run
from nothing to about 12 kB; model-index from absent to dozens of metrics; some repositories
hold weights files (sparse files: their size is what counts, not their bytes on disk).
"""

from __future__ import annotations

import argparse
import os
import random
from pathlib import Path

WORDS = ("model data training evaluation fine-tuned base corpus tokens language vision audio "
         "retrieval classification translation summarisation benchmark checkpoint epochs batch "
         "learning rate optimizer warmup schedule validation split license bias limitations "
         "intended uses downstream research multilingual domain adaptation robustness inference "
         "latency memory quantised distilled parameters architecture encoder decoder attention").split()
TASKS = ("text-classification", "token-classification", "question-answering", "summarization",
         "translation", "text-generation", "fill-mask", "sentence-similarity", "feature-extraction",
         "image-classification", "automatic-speech-recognition", "object-detection",
         "text-to-image", "zero-shot-classification")
METRICS = ("accuracy", "f1", "precision", "recall", "rouge1", "rougeL", "bleu", "wer",
           "exact_match", "loss", "pearson", "spearman")
DATASETS = ("imdb", "glue", "squad", "conll2003", "xsum", "cnn_dailymail", "wmt16", "common_voice",
            "librispeech_asr", "imagenet-1k", "coco", "mnli", "sst2", "emotion", "ag_news")
LICENSES = ("apache-2.0", "mit", "cc-by-4.0", "cc-by-nc-4.0", "openrail", "llama2", "bsd-3-clause",
            "other")
LANGUAGES = ("en", "fr", "de", "es", "zh", "ja", "ar", "hi", "pt", "ru", "it", "nl", "ko", "sw")
HARDWARE = ("1 x NVIDIA A100-SXM4-40GB", "8 x NVIDIA A100 80GB", "1 x NVIDIA GeForce RTX 3090",
            "1 x Tesla T4", "4 x Tesla V100-SXM2-16GB", "NVIDIA H100 80GB HBM3", "TPU v3-8",
            "2 x NVIDIA GeForce RTX 4090", "1 x NVIDIA L4", "Tesla P100-PCIE-16GB",
            "NVIDIA A10G", "64 x A100")
LOCATIONS = ("Frankfurt, Germany", "us-east-1", "France", "Oregon, USA", "eu-west-1",
             "Montreal, Canada", "Ireland", "Virginia", "Sweden", "Iowa, USA", "Finland",
             "Tokyo, Japan", "somewhere on earth")
SOURCES = ("codecarbon", "CodeCarbon", "AutoTrain", "ML CO2 Impact calculator",
           "https://mlco2.github.io/impact#compute", "estimated by the authors")
TRAINING = ("fine-tuning", "pre-training", "finetuning", "fine tuning", "training")
CPUS = ("13th Gen Intel(R) Core(TM) i7-13700K", "AMD EPYC 7R32", "Intel(R) Xeon(R) CPU @ 2.20GHz",
        "AMD Ryzen 9 5950X 16-Core Processor", "Apple M2")
WEIGHT_NAMES = ("model.safetensors", "pytorch_model.bin", "tf_model.h5", "model.onnx")


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 18))
    return " ".join(words).capitalize() + rng.choice((".", ".", ".", "!", "?"))


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _model_index(rng: random.Random, name: str) -> list[str]:
    """YAML lines of a model-index with 1 to 6 results of 1 to 8 metrics."""
    lines = ["model-index:", f"- name: {name}", "  results:"]
    for _ in range(rng.randint(1, 6)):
        task = rng.choice(TASKS)
        dataset = rng.choice(DATASETS)
        lines += [f"  - task:", f"      type: {task}", f"      name: {task.replace('-', ' ').title()}",
                  "    dataset:", f"      name: {dataset}", f"      type: {dataset}",
                  f"      split: {rng.choice(('test', 'validation'))}", "    metrics:"]
        for metric in rng.sample(METRICS, rng.randint(1, 8)):
            value = round(rng.uniform(0.05, 0.99), rng.randint(2, 6))
            lines += [f"    - type: {metric}", f"      value: {value}",
                      f"      name: {metric.title()}", "      verified: false"]
    return lines


def _grams(rng: random.Random) -> float:
    return rng.lognormvariate(3.0, 3.0)  # from fractions of a gram to tonnes, as on the Hub


def _number(rng: random.Random, value: float) -> str:
    return repr(round(value, rng.choice((1, 2, 4, 6, 12))))


def _environmental_section(rng: random.Random, grams: float, hardware: str, hours: float,
                           location: str) -> str:
    """The Hub template's section, filled in (or left as the template's placeholders)."""
    if rng.random() < 0.15:
        return ("## Environmental Impact\n\n"
                "- **Hardware Type:** [More Information Needed]\n"
                "- **Hours used:** [More Information Needed]\n"
                "- **Cloud Provider:** [More Information Needed]\n"
                "- **Compute Region:** [More Information Needed]\n"
                "- **Carbon Emitted:** [More Information Needed]\n")
    kg = grams / 1000
    emitted = (f"{kg:.3f} kg CO2eq" if rng.random() < 0.6 else f"{grams:.1f} grams of CO2")
    return ("## Environmental Impact\n\n"
            "Carbon emissions can be estimated using the [Machine Learning Impact calculator]"
            "(https://mlco2.github.io/impact#compute) presented in Lacoste et al. (2019).\n\n"
            f"- **Hardware Type:** {hardware}\n"
            f"- **Hours used:** {hours:g}\n"
            f"- **Cloud Provider:** {rng.choice(('AWS', 'GCP', 'Azure', 'none (on premises)'))}\n"
            f"- **Compute Region:** {location}\n"
            f"- **Carbon Emitted:** {emitted}\n")


def _body(rng: random.Random, name: str, section: str, size: int) -> str:
    parts = [f"# {name}", "", _paragraph(rng, rng.randint(1, 4)), ""]
    headings = ["## Model description", "## Intended uses & limitations", "## Training data",
                "## Training procedure", "## Evaluation results", "## Bias, Risks, and Limitations",
                "## How to Get Started with the Model", "## Citation"]
    rng.shuffle(headings)
    for heading in headings[:size]:
        parts += [heading, "", _paragraph(rng, rng.randint(2, 9)), ""]
        if heading.startswith("## How") and rng.random() < 0.7:
            parts += ["```python", "from transformers import AutoModel",
                      f'model = AutoModel.from_pretrained("{name}")  # emits 3 kg? no: code', "```", ""]
        if heading.startswith("## Training procedure") and rng.random() < 0.6:
            parts += ["| Epoch | Step | Validation Loss | Accuracy |", "|---|---|---|---|"]
            parts += [f"| {e} | {e * rng.randint(50, 900)} | {rng.uniform(0.1, 2):.4f} | "
                      f"{rng.uniform(0.5, 0.99):.4f} |" for e in range(1, rng.randint(2, 12))]
            parts.append("")
    if section:
        parts += [section, ""]
    return "\n".join(parts)


def card_text(index: int, seed: int = 2023) -> str:
    """The text of card ``index`` of the corpus ``seed``: the same arguments, the same card."""
    rng = random.Random(f"{seed}:{index}")
    owner = f"user{rng.randint(0, 99999)}"
    name = f"{rng.choice(('bert', 'roberta', 't5', 'mpnet', 'whisper', 'vit', 'llama', 'gpt2'))}-" \
           f"{rng.choice(TASKS).split('-')[0]}-{index}"
    grams = _grams(rng)
    hardware = rng.choice(HARDWARE)
    hours = round(rng.lognormvariate(1.0, 1.8), rng.choice((0, 1, 2)))
    location = rng.choice(LOCATIONS)
    meta = [f"license: {rng.choice(LICENSES)}"]
    if rng.random() < 0.7:
        langs = rng.sample(LANGUAGES, rng.randint(1, 4))
        meta.append("language:" + "".join(f"\n- {lang}" for lang in langs))
    if rng.random() < 0.75:
        meta.append(f"pipeline_tag: {rng.choice(TASKS)}")
    tags: list[str] = rng.sample(("transformers", "pytorch", "generated_from_trainer", "safetensors",
                                  "en", "optimized", "distilled", "pruned", "setfit"),
                                 rng.randint(0, 4))
    if rng.random() < 0.4:
        meta.append("datasets:" + "".join(f"\n- {d}" for d in rng.sample(DATASETS, rng.randint(1, 3))))
    shape = rng.random()
    section = ""
    body_size = rng.choice((0, 1, 2, 3, 5, 8))
    if shape < 0.25:  # no emissions report at all
        pass
    elif shape < 0.45:  # AutoTrain: a bare number of grams, repeated in the text
        tags.append("autotrain")
        meta.append(f"co2_eq_emissions: {_number(rng, grams)}")
        section = f"- Problem type: {rng.choice(('Binary Classification', 'Multi-class Classification', 'Summarization'))}\n" \
                  f"- Model ID: {rng.randint(10**6, 10**8)}\n- CO2 Emissions (in grams): {grams:.4f}\n"
    elif shape < 0.65:  # CodeCarbon's mapping (Sentence-Transformers, SetFit)
        kwh = grams / rng.uniform(50, 700)
        meta.append("co2_eq_emissions:\n"
                    f"  emissions: {_number(rng, grams)}\n"
                    f"  energy_consumed: {_number(rng, kwh)}\n"
                    f"  source: {rng.choice(('codecarbon', 'CodeCarbon'))}\n"
                    f"  training_type: {rng.choice(TRAINING)}\n"
                    f"  on_cloud: {rng.choice(('false', 'true'))}\n"
                    f"  cpu_model: {rng.choice(CPUS)}\n"
                    f"  ram_total_size: {rng.uniform(8, 512):.2f}\n"
                    f"  hours_used: {hours:g}\n"
                    f"  hardware_used: {hardware}")
        section = ("### Environmental Impact\n"
                   "Carbon emissions were measured using [CodeCarbon](https://github.com/mlco2/codecarbon).\n"
                   f"- **Energy Consumed**: {kwh:.3f} kWh\n"
                   f"- **Carbon Emitted**: {grams / 1000:.3f} kg of CO2\n"
                   f"- **Hours Used**: {hours:g} hours\n")
    elif shape < 0.80:  # the five spec fields, sometimes with mistakes
        value = _number(rng, grams)
        mistake = rng.random()
        if mistake < 0.1:
            value = f'"{grams / 1000:.2f} kg"'
        elif mistake < 0.18:
            value = '"[More Information Needed]"'
        lines = [f"  emissions: {value}", f"  source: {rng.choice(SOURCES)}",
                 f"  training_type: {rng.choice(TRAINING)}",
                 f"  geographical_location: {location}",
                 f"  {'hardware_used' if mistake < 0.9 else 'hardware'}: {hardware}"]
        rng.shuffle(lines)
        meta.append("co2_eq_emissions:\n" + "\n".join(lines[: rng.randint(2, 5)]))
        if rng.random() < 0.5:
            section = _environmental_section(rng, grams, hardware, hours, location)
    elif shape < 0.97:  # emissions only in the text, the Hub template's section
        section = _environmental_section(rng, grams, hardware, hours, location)
        if rng.random() < 0.3:
            section += f"\nTraining took {hours:g} hours on {hardware} and emitted about " \
                       f"{grams / 1000:.1f} kg of CO2eq.\n"
    else:  # does not parse
        meta.append(f"co2_eq_emissions: {{emissions: {grams:.1f}, source: [unclosed")
    if tags:
        meta.append("tags:" + "".join(f"\n- {t}" for t in tags))
    if rng.random() < 0.55:
        meta.append("\n".join(_model_index(rng, name)))
    rng.shuffle(meta)  # top-level keys in any order, as authors write them
    front = "\n".join(meta)
    body = _body(rng, f"{owner}/{name}", section, body_size)
    if rng.random() < 0.03:  # a card without front matter at all
        return body
    return f"---\n{front}\n---\n\n{body}"


def make_corpus(folder: str | os.PathLike[str], count: int, seed: int = 2023) -> list[str]:
    """Write ``count`` cards under ``folder`` (one repository folder each); return their paths."""
    root = Path(folder)
    paths = []
    for index in range(count):
        rng = random.Random(f"{seed}:{index}:files")
        repo = root / f"{index // 1000:03d}" / f"model-{index:06d}"
        repo.mkdir(parents=True, exist_ok=True)
        name = "README.md" if rng.random() < 0.95 else "model_card.md"
        card = repo / name
        card.write_text(card_text(index, seed), encoding="utf-8")
        paths.append(str(card))
        if rng.random() < 0.3:  # weights beside the card: a sparse file of a realistic size
            weights = repo / rng.choice(WEIGHT_NAMES)
            with open(weights, "wb") as handle:
                handle.truncate(int(rng.lognormvariate(19.5, 1.6)))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    make_corpus(args.folder, args.cards, args.seed)


if __name__ == "__main__":
    main()
