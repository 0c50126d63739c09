"""``baselines build --from-hub``: the models that report emissions, mined page by page into
baseline records, resumable from a checkpoint."""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from carbonlint.baselines import ModelRecord, normalise_domain, normalise_training_type
from carbonlint.hub.client import HUB_EXPAND, PAGE_SIZE, HubClient
from carbonlint.hub.endpoint import describe_origin, same_origin
from carbonlint.hub.info import hub_info_from, model_from_item

# What a baseline needs: the card's metadata too (co2_eq_emissions, model-index).
BASELINE_EXPAND = ("cardData", *HUB_EXPAND)
EMISSIONS_TAG = "co2_eq_emissions"  # the Hub tags every model whose card metadata has the key


def record_from(item: Any) -> ModelRecord | str:
    """A baseline record from a listing entry with cardData, or the reason there is none."""
    from carbonlint.grade import understood_grams
    from carbonlint.judge import performance_metrics

    model = model_from_item(item)
    if model is None:
        return "malformed listing entry"
    card = item.get("cardData")
    card = card if isinstance(card, dict) else {}
    co2 = card.get("co2_eq_emissions")
    if co2 is None:
        return "no co2_eq_emissions in the card data"
    grams = understood_grams(co2)
    if grams is None:
        return "emissions not understood"
    hub = hub_info_from(model)
    kind = co2.get("training_type") if isinstance(co2, dict) else None
    domain = normalise_domain(hub.pipeline_tag)
    if domain is None and hub.library_name == "joblib":
        domain = "tabular"  # AutoTrain's tabular models: no task tag, scikit-learn weights
    return ModelRecord(
        model_id=model.id,
        emissions_g=grams,
        domain=domain,
        training_type=normalise_training_type(kind) if isinstance(kind, str) else None,
        autotrain=("autotrain" in {t.lower() for t in hub.tags}) if model.tags is not None else None,
        size_bytes=hub.size_bytes,
        downloads=hub.downloads,
        performance=performance_metrics(card) or None,
        created_at=hub.created_at,
    )


class CheckpointError(Exception):
    """The checkpoint belongs to another run (another Hub or query) or cannot be used."""


@dataclasses.dataclass
class Mining:
    """A mining run's state: everything the checkpoint holds."""

    endpoint: str
    started: str  # ISO time of the run's first page (a resumed run keeps it)
    records: list[ModelRecord] = dataclasses.field(default_factory=list)
    rejected: Counter[str] = dataclasses.field(default_factory=Counter)
    seen: set[str] = dataclasses.field(default_factory=set)
    next_url: str | None = None  # the page to fetch next; None with done=False: the first one
    skip: int = 0  # models of that page already recorded
    done: bool = False  # the listing reached its end
    pages: int = 0  # listing pages committed

    @property
    def listed(self) -> int:
        return len(self.seen)

    def source(self) -> dict[str, Any]:
        """The baseline's ``source``: where and when, and how many."""
        return {
            "kind": "hub",
            "endpoint": self.endpoint,
            "filter": EMISSIONS_TAG,
            "date": self.started[:10],
            "started": self.started,
            "finished": _now(),
            "complete": self.done,
            "models_listed": self.listed,
            "models_with_emissions": len(self.records),
            "pages": self.pages,
        }


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Checkpoint:
    """JSON lines: a header, then per page the models seen and a line that closes the page.

    A page is committed by its closing line, written and synced after its models; lines after
    the last closing line (a run killed mid-page) are cut off on resume, and that page is
    fetched again from its saved URL. So no committed model is ever listed twice.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self, endpoint: str) -> Mining:
        if not self.path.exists() or self.path.stat().st_size == 0:
            mining = Mining(endpoint=endpoint, started=_now())
            self._append([{"checkpoint": 1, "endpoint": endpoint, "filter": EMISSIONS_TAG,
                           "started": mining.started}], truncate=True)
            return mining
        with self.path.open("rb") as handle:
            lines = handle.read().split(b"\n")
        try:
            header = json.loads(lines[0])
        except (json.JSONDecodeError, UnicodeDecodeError):
            header = None
        if not isinstance(header, dict) or header.get("checkpoint") != 1:
            raise CheckpointError(f"{self.path} is not a carbonlint checkpoint")
        if header.get("endpoint") != endpoint or header.get("filter") != EMISSIONS_TAG:
            raise CheckpointError(f"{self.path} was made against {header.get('endpoint')}, not "
                                  f"{endpoint}; delete it or give another --checkpoint")
        mining = Mining(endpoint=endpoint, started=str(header.get("started") or _now()))
        committed = len(lines[0]) + 1
        offset = committed
        page: list[dict[str, Any]] = []
        for number, line in enumerate(lines[1:], start=2):
            offset += len(line) + 1
            try:
                entry = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                break  # a line cut short by a kill: nothing after it counts
            if not isinstance(entry, dict):
                break
            if "page" not in entry:
                page.append(entry)
                continue
            try:
                self._commit(mining, page, entry)
            except (KeyError, TypeError, ValueError):
                raise CheckpointError(f"{self.path}, page ending on line {number}: not what "
                                      "carbonlint writes; delete the file to start over") from None
            page, committed = [], offset
        if mining.next_url is not None and not same_origin(mining.next_url, endpoint):
            # The token goes only to the endpoint (carbonlint.hub.endpoint): a checkpoint is a
            # file anyone could have edited, so its page URL is not trusted to name another host.
            raise CheckpointError(
                f"{self.path}: the page to resume from is on {describe_origin(mining.next_url)}, "
                f"not on the endpoint {endpoint}; carbonlint sends its requests (and the token) "
                "only to the endpoint. Delete the file to start over")
        with self.path.open("r+b") as handle:  # drop the uncommitted tail
            handle.truncate(min(committed, self.path.stat().st_size))
        return mining

    @staticmethod
    def _commit(mining: Mining, page: list[dict[str, Any]], closing: dict[str, Any]) -> None:
        for entry in page:
            if entry.get("id"):
                mining.seen.add(entry["id"])
            if entry.get("record") is not None:
                mining.records.append(ModelRecord(**entry["record"]))
            else:
                mining.rejected[str(entry.get("rejected"))] += 1
        mining.pages += 1
        mining.next_url = closing.get("next")
        mining.skip = int(closing.get("skip") or 0)
        mining.done = bool(closing.get("done"))

    def commit_page(self, number: int, outcomes: list[tuple[str, ModelRecord | str]],
                    next_url: str | None, skip: int, done: bool) -> None:
        entries: list[dict[str, Any]] = [
            {"id": model_id, "record": outcome._asdict()}
            if isinstance(outcome, ModelRecord) else {"id": model_id, "rejected": outcome}
            for model_id, outcome in outcomes
        ]
        entries.append({"page": number, "next": next_url, "skip": skip, "done": done})
        self._append(entries)

    def _append(self, entries: list[dict[str, Any]], truncate: bool = False) -> None:
        text = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in entries)
        with self.path.open("w" if truncate else "a", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())


def _with_query(url: str, **values: Any) -> str:
    """``url`` with some query parameters set; the others, repeated ones included, kept."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in values]
    query += [(k, str(v)) for k, v in values.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


def mine(client: HubClient, *, limit: int | None = None, checkpoint: Checkpoint | None = None,
         progress: Callable[[int], None] = lambda n: None) -> Mining:
    """List the models that report emissions, page by page, into baseline records.

    ``limit`` counts every model seen, those of a resumed checkpoint included. Everything comes
    from the listing (cardData holds co2_eq_emissions): one request per page, none per model.
    """
    mining = checkpoint.load(client.endpoint) if checkpoint else Mining(client.endpoint, _now())
    progress(mining.listed)
    if mining.done or (limit is not None and mining.listed >= limit):
        return mining
    page_size = PAGE_SIZE if limit is None else max(1, min(PAGE_SIZE, limit - mining.listed))
    params = {"filter": EMISSIONS_TAG, "expand": list(BASELINE_EXPAND), "limit": page_size}
    # A saved page URL keeps the page size of the run that saved it (a --limit 10 run's pages
    # hold 10); the cursor fixes where a page starts, so the size can be set afresh.
    start = _with_query(mining.next_url, limit=page_size) if mining.next_url else None
    skip = mining.skip
    for page in client.pages(params, start_url=start):
        outcomes: list[tuple[str, ModelRecord | str]] = []
        taken = skip
        for item in page.items[skip:]:
            if limit is not None and mining.listed >= limit:
                break
            taken += 1
            model_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(model_id, str):
                mining.rejected["malformed listing entry"] += 1
                outcomes.append(("", "malformed listing entry"))
                continue
            if model_id in mining.seen:
                continue  # the listing shifted between runs; the first sighting counts
            outcome = record_from(item)
            mining.seen.add(model_id)
            if isinstance(outcome, ModelRecord):
                mining.records.append(outcome)
            else:
                mining.rejected[outcome] += 1
            outcomes.append((model_id, outcome))
        mining.pages += 1
        finished_page = taken >= len(page.items)
        mining.next_url, mining.skip = (page.next_url, 0) if finished_page else (page.url, taken)
        mining.done = finished_page and page.next_url is None
        if checkpoint:
            checkpoint.commit_page(mining.pages, outcomes, mining.next_url, mining.skip, mining.done)
        progress(len(outcomes))
        skip = 0
        if mining.done or not finished_page or (limit is not None and mining.listed >= limit):
            break  # asking for one more page would list models this run will not take
    return mining
