"""markdown-it-py set up to read Markdown as GitHub does: tables, strikethrough, bare-URL links."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from checker.parse.autolinks import install as install_autolinks

_TABLE_RULE = importlib.import_module("markdown_it.rules_block.table")


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    # store_labels: a reference link's token carries its label, so that it is placed by its
    # text, not looked for by a target that is written on another line
    md = MarkdownIt("commonmark", {"html": True, "store_labels": True})
    md.enable(["table", "strikethrough"])
    install_autolinks(md)  # bare URLs as cmark-gfm links them, not as linkify-it would
    # Text runs on to the next character an inline rule of ours can start at (and `]`, which
    # ends a link's text). markdown-it also stops at `-`, `=`, `#`, … for rules of plugins we do
    # not load; each such character then costs a pass through every rule: a link text of 40 KB
    # of dashes took seconds. The tokens are the same (what is skipped lands in one text run).
    md.inline.terminator_re = re.compile("[" + re.escape(_RULE_STARTS) + "]")
    # Keep URLs exactly as written: fixes must find them in the file, and we render no HTML.
    md.normalizeLink = _as_written  # type: ignore[method-assign]
    md.normalizeLinkText = _as_written  # type: ignore[method-assign,assignment]
    # The table rule splits each row into its cells a character at a time, in Python: a
    # twentieth of the parse of a long list. The same split, by a regular expression.
    _TABLE_RULE.escapedSplit = split_row  # type: ignore[attr-defined]
    return md


# newline, escape, backticks, strikethrough, emphasis, link (and its end), image, autolink and
# html_inline, entity, our bare-URL rule
_RULE_STARTS = "\n\\`~*_[]!<&:"
# Inline text in which no rule can start is one text token, as markdown-it would make it (its
# rules tried at each of those characters, and its pairing passes run, for nothing): a `:` starts
# a rule only as the `://` of a bare URL.
_PLAIN_TEXT_ENDS = re.compile("[" + re.escape(_RULE_STARTS.replace(":", "")) + "]|://")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def split_row(line: str) -> list[str]:
    """A table row's cells as markdown-it's `escapedSplit` makes them: split at each `|` not
    written `\\|`, whose backslash is dropped."""
    return [cell.replace("\\|", "|") for cell in _UNESCAPED_PIPE.split(line)]


def _as_written(url: str) -> str:
    return url


class TokenStream:
    """A text's block tokens, read once from first to last, as `markdown().parse` gives them.

    markdown-it reads every inline run of the document before it returns, and all those tokens
    stay alive together: half its memory on a long list. Here its core rules run in the same
    order, but an inline run is read only when the walk reaches it, and each token is let go once
    the walk has passed it. Block tokens come first for the whole text, so every link reference
    definition is known before any inline run is read; the core rules after `inline`
    (`text_join`, our `www.`/email links) each work on one inline run at a time.
    """

    def __init__(self, text: str) -> None:
        md = markdown()
        names = md.core.ruler.get_active_rules()
        rules = md.core.ruler.getRules("")
        at = names.index("inline")
        state = StateCore(text, md, {})
        for rule in rules[:at]:
            rule(state)
        self._md = md
        self._env = state.env
        self._after = rules[at + 1 :]
        self._one = StateCore("", md, self._env)  # the later rules, run on one inline run
        self._left = state.tokens
        self._left.reverse()  # popped from the end: each token leaves the list as it is read

    def __len__(self) -> int:
        """How many tokens are still to be read."""
        return len(self._left)

    def __iter__(self) -> Iterator[Token]:
        left, md, env, one, after = self._left, self._md, self._env, self._one, self._after
        while left:
            token = left.pop()
            if token.type == "inline":
                if token.children is None:
                    token.children = []
                if _PLAIN_TEXT_ENDS.search(token.content) is None:
                    if token.content:  # what the inline parse gives plain text
                        token.children.append(Token("text", "", 0, content=token.content))
                else:
                    md.inline.parse(token.content, md, env, token.children)
                one.tokens = [token]
                for rule in after:
                    rule(one)
                one.tokens = []
            yield token


