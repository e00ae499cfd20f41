"""One module per output format; each is `render(report, ...) -> str`. Text from the list reaches
any of them only through `escape`."""

from __future__ import annotations

FORMATS = ("text", "json", "github", "sarif", "markdown")
