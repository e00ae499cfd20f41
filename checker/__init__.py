"""paperlint: keeps Markdown lists of research papers honest."""

__version__ = "0.1.0"
