"""One client per remote API (`arxiv`, `github`, `scholar`, `web`, …), all sending through the
shared client of `http`."""

import sys

# httpx imports its command-line client (click, rich, pygments: a tenth of a second) whenever
# click happens to be installed, as it is beside many tools; paperlint never runs it. An entry of
# None in sys.modules makes that one import fail at once, which httpx expects: its client is an
# optional extra (`httpx[cli]`), imported under `except ImportError`.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
