"""One module per output format; each is `render(report, ...) -> str`. Text from the list reaches
any of them only through `escape`."""

from __future__ import annotations

FORMATS = ("text", "json", "github", "sarif", "markdown")

# paperlint's README, where a report sends a reader who wants to know more (the job summary's
# "false alarm?" line). One place to change when the project moves.
README_URL = "https://github.com/paperlint/paperlint/blob/main/README.md"
