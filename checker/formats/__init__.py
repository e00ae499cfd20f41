"""One module per output format; each is `render(report, ...) -> str`."""

from __future__ import annotations

FORMATS = ("text", "json", "github", "sarif", "markdown")
