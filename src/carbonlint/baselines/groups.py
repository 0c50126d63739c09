"""Choosing a card's peer group: fair combinations (peer_key) and the one-dimensional choice
(group_for) kept for API callers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from carbonlint.baselines.vocabulary import (
    MIN_PEERS,
    combined_key,
    normalise_domain,
    normalise_training_type,
    size_bucket,
)

if TYPE_CHECKING:
    from carbonlint.baselines.loading import Baseline


# ---------------------------------------------------------------------------------------------
# Peer groups.


def group_for(
    baseline: Baseline,
    *,
    domain: str | None = None,
    training_type: str | None = None,
    autotrain: bool | None = None,
    size_bytes: float | None = None,
    min_n: int = MIN_PEERS,
) -> str:
    """The key of the most telling peer group with at least ``min_n`` models.

    Groups are one-dimensional, so one is chosen, in this order: training type (pre-training
    and fine-tuning differ by orders of magnitude), domain, model size, AutoTrain, then "all".
    ``domain`` may be a domain name or a Hub pipeline tag.
    """
    candidates = []
    kind = normalise_training_type(training_type)
    if kind:
        candidates.append(f"training_type:{kind}")
    area = normalise_domain(domain)
    if area:
        candidates.append(f"domain:{area}")
    bucket = size_bucket(size_bytes)
    if bucket:
        candidates.append(f"size:{bucket}")
    if autotrain is not None:
        candidates.append("autotrain:yes" if autotrain else "autotrain:no")
    for key in candidates:
        group = baseline.groups.get(key)
        if group is not None and group.n >= min_n:
            return key
    return "all"


def fair_keys(
    *,
    autotrain: bool | None,
    training_type: str | None,
    size_bytes: float | None = None,
    domain: str | None = None,
) -> list[str]:
    """The fair peer groups of a run, most specific first (see COMBINED_GROUPS).

    An AutoTrain run: AutoTrain runs of its size, then of its domain, then all of them. Any
    other run: runs of its training type outside AutoTrain, of its size, then of any size.
    Without knowing whether it is AutoTrain, or (outside AutoTrain) its training type, a run
    has no fair group: a pre-training run and a ten-minute fine-tune differ a thousandfold.
    """
    bucket = size_bucket(size_bytes)
    if autotrain:
        area = normalise_domain(domain)
        keys = [combined_key("autotrain:yes", f"size:{bucket}")] if bucket else []
        if area:
            keys.append(combined_key("autotrain:yes", f"domain:{area}"))
        return keys + ["autotrain:yes"]
    kind = normalise_training_type(training_type)
    if autotrain is None or kind is None:
        return []
    base = combined_key("autotrain:no", f"training_type:{kind}")
    return ([combined_key(base, f"size:{bucket}")] if bucket else []) + [base]


def peer_key(
    baseline: Baseline,
    *,
    autotrain: bool | None,
    training_type: str | None,
    size_bytes: float | None = None,
    domain: str | None = None,
    min_n: int = MIN_PEERS,
) -> str | None:
    """The most specific fair peer group with at least ``min_n`` models, or None.

    None, not a wider group, when no fair group is large enough: comparing a pre-training run
    with the Hub's AutoTrain fine-tunes would call every careful report an outlier.
    """
    for key in fair_keys(autotrain=autotrain, training_type=training_type,
                         size_bytes=size_bytes, domain=domain):
        group = baseline.groups.get(key)
        if group is not None and group.n >= min_n:
            return key
    return None
