"""Model cards and emission reports straight from the Hugging Face Hub (a package, one module per idea).

Two users: ``carbonlint hub`` lints remote cards, ``carbonlint baselines build --from-hub`` mines
the models that report emissions. Both talk to the Hub through huggingface_hub's own HTTP layer:
its shared session (offline mode, request ids, connection pool), its headers (``HF_TOKEN`` or the
saved token, a user agent), its URL builder and its error types (``GatedRepoError``,
``RepositoryNotFoundError``...). Three things are carbonlint's own, each for a reason:

- the listing pager: ``HfApi.list_models`` sends no timeout and does not expose the page cursor
  (huggingface_hub issues 2741 and 4257), and a resumable mining run needs the cursor;
- retries: huggingface_hub's backoff sleeps whatever ``Retry-After`` says; here the total wait of
  one request is capped, and a 429 pauses every worker, not just the one that met it;
- the card download: one GET of ``/{id}/resolve/{rev}/README.md`` instead of ``hf_hub_download``'s
  HEAD then GET into the disk cache: half the requests, and linting 10,000 cards leaves no
  10,000 files in ``~/.cache/huggingface``.

Nothing reads ``HF_ENDPOINT`` at import time: the endpoint is looked up when a client is made.
Only the commands that need the network import this module (``carbonlint check`` never does).

Modules: :mod:`.endpoint` (where to talk, where the token may go), :mod:`.info` (what the Hub
knows about a model), :mod:`.retry` (429, 5xx, dropped connections), :mod:`.client` (HTTP),
:mod:`.concurrency` (order-keeping worker pool), :mod:`.linting` (``carbonlint hub``),
:mod:`.mining` (``baselines build --from-hub`` and its checkpoint). Every public name is
importable from ``carbonlint.hub`` as before.
"""

from __future__ import annotations

from carbonlint.hub.client import (
    HUB_EXPAND,
    MAX_CARD_BYTES,
    PAGE_SIZE,
    HubClient,
    Page,
)
from carbonlint.hub.concurrency import ordered_map
from carbonlint.hub.endpoint import hub_endpoint, same_origin
from carbonlint.hub.info import DTYPE_BITS, HubInfo, hub_info_from, model_from_item, weights_bytes
from carbonlint.hub.linting import (
    Fetched,
    ListingQuery,
    Target,
    fetch,
    hub_reports,
    lint,
    listed_targets,
)
from carbonlint.hub.mining import (
    BASELINE_EXPAND,
    EMISSIONS_TAG,
    Checkpoint,
    CheckpointError,
    Mining,
    mine,
    record_from,
)
from carbonlint.hub.retry import (
    DEFAULT_TIMEOUT,
    RETRY_STATUS,
    HubFailure,
    RetryPolicy,
    Throttle,
    httpx,
    retry_after,
    with_retries,
)

__all__ = [
    "BASELINE_EXPAND", "DEFAULT_TIMEOUT", "DTYPE_BITS", "EMISSIONS_TAG", "HUB_EXPAND",
    "MAX_CARD_BYTES", "PAGE_SIZE", "RETRY_STATUS", "Checkpoint", "CheckpointError", "Fetched",
    "HubClient", "HubFailure", "HubInfo", "ListingQuery", "Mining", "Page", "RetryPolicy",
    "Target", "Throttle", "fetch", "httpx", "hub_endpoint", "hub_info_from", "hub_reports",
    "lint", "listed_targets", "mine", "model_from_item", "ordered_map", "record_from",
    "retry_after", "same_origin", "weights_bytes", "with_retries",
]
