#!/usr/bin/env python3
"""Independent per-file counts for the paperlint corpus (cross-check for the real parser).

Method: a small hand-written, line-oriented re-implementation of the CommonMark/GFM
block rules (container matching for block quotes and list items with tab expansion,
lazy continuation, fenced/indented code, HTML blocks types 1-7, ATX/setext headings,
pipe tables that may interrupt a paragraph) followed by a sequential inline scanner
(backslash escapes, code spans, autolinks, raw HTML / comments, a bracket stack for
links and images, and cmark-gfm style bare-URL detection: not after an ASCII letter,
not inside an open bracket, ends at whitespace or '<', trailing punctuation trimmed).
Every http(s) link target is then attributed to an "entry unit": a pipe-table body row
(a pipe-less-start line after a short row is merged into it), an HTML <tr> row, a list
item's own content (not its sub-lists), a top-level paragraph starting with bold text,
or a bold-title paragraph + following bullet list group. No third-party code is used.

Usage: python tests/data/independent_count.py CORPUS_DIR [SEED_DIR ...] [--debug FILE]
Writes tests/data/corpus_counts.json next to this script.
"""

from __future__ import annotations

import json
import os
import re
import sys
from html import unescape as _html_unescape

RE_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def unescape(s):
    """CommonMark entity decoding: only complete references ending in ';'"""
    return RE_ENTITY.sub(lambda m: _html_unescape(m.group(0)), s)


# ----------------------------------------------------------------------------- nodes


class Node:
    __slots__ = ("children", "data", "kind", "line_no", "lines", "open", "parent")

    def __init__(self, kind, parent=None, line_no=0, **data):
        self.kind = kind
        self.parent = parent
        self.children = []
        self.open = True
        self.lines = []  # for leaves: (line_no, text)
        self.line_no = line_no
        self.data = data
        if parent is not None:
            parent.children.append(self)

    def last_open_child(self):
        if self.children and self.children[-1].open:
            return self.children[-1]
        return None


CONTAINERS = ("document", "blockquote", "list", "item")

# ----------------------------------------------------------------------------- block regexes

RE_ATX = re.compile(r"#{1,6}(?:[ \t]|$)")
RE_HR = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
RE_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
RE_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")
RE_BULLET = re.compile(r"([-+*])(?=[ \t]|$)")
RE_ORDERED = re.compile(r"(\d{1,9})([.)])(?=[ \t]|$)")
HTML6_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
    "details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|"
    "h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|"
    "noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|"
    "thead|title|tr|track|ul"
)
RE_HTML1 = re.compile(r"<(?:script|pre|style|textarea)(?:[ \t>]|$)", re.I)
RE_HTML6 = re.compile(rf"</?(?:{HTML6_TAGS})(?:[ \t>]|/>|$)", re.I)
ATTR = r"""(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)"""
OPEN_TAG = rf"<[A-Za-z][A-Za-z0-9-]*{ATTR}*\s*/?>"
CLOSE_TAG = r"</[A-Za-z][A-Za-z0-9-]*\s*>"
RE_HTML7 = re.compile(rf"(?:{OPEN_TAG}|{CLOSE_TAG})[ \t]*$")
RE_DELIM_ROW = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")


def lead(s, pos=0):
    """number of spaces starting at pos (tabs already expanded)"""
    n = 0
    while pos + n < len(s) and s[pos + n] == " ":
        n += 1
    return n


def is_blank(s):
    return s.strip() == ""


def split_cells(row):
    """split a table row on unescaped pipes, dropping the outer ones"""
    s = row.strip()
    cells, cur, i = [], [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            cur.append(s[i : i + 2])
            i += 2
            continue
        if c == "|":
            cells.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    cells.append("".join(cur))
    if s.startswith("|"):
        cells = cells[1:]
    if s.endswith("|") and not s.endswith("\\|") and cells:
        cells = cells[:-1]
    return cells


# ----------------------------------------------------------------------------- block parser


class BlockParser:
    def __init__(self, text):
        self.doc = Node("document")
        self.lines = text.split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.debug = []

    # -- helpers
    def tip(self):
        n = self.doc
        while True:
            c = n.last_open_child()
            if c is None:
                return n
            n = c

    def close(self, node):
        """close node and all its open descendants"""
        c = node.last_open_child()
        while c is not None:
            self.close(c)
            c = node.last_open_child()
        if node.open:
            node.open = False
            if node.kind == "paragraph":
                self.finalize_paragraph(node)

    def close_unmatched(self, last_matched):
        c = last_matched.last_open_child()
        if c is not None and c.kind in CONTAINERS:
            self.close(c)

    def finalize_paragraph(self, node):
        # leading link reference definitions
        defs = []
        while node.lines:
            ln, t = node.lines[0]
            m = re.match(
                r"\s{0,3}\[([^\]^][^\]]*)\]:\s*(<[^>]*>|\S+)(?:\s+(\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*$",
                t,
            )
            if not m:
                break
            dest = m.group(2)
            if dest.startswith("<"):
                dest = dest[1:-1]
            defs.append((ln, m.group(1), dest))
            node.lines.pop(0)
        if defs:
            node.data["refdefs"] = defs

    def add_child(self, container, kind, line_no, **data):
        # a container that is a list can only take items
        return Node(kind, container, line_no, **data)

    # -- main loop
    def parse(self):
        for idx, raw in enumerate(self.lines):
            self.process_line(idx + 1, raw.expandtabs(4))
        self.close(self.doc)
        return self.doc

    def process_line(self, ln, line):
        pos = 0
        node = self.doc
        all_matched = True
        # 1. match open containers
        while True:
            child = node.last_open_child()
            if child is None or child.kind not in CONTAINERS:
                break
            if child.kind == "blockquote":
                ind = lead(line, pos)
                if ind <= 3 and pos + ind < len(line) and line[pos + ind] == ">":
                    pos += ind + 1
                    if pos < len(line) and line[pos] == " ":
                        pos += 1
                    node = child
                    continue
                all_matched = False
                break
            if child.kind == "list":
                node = child
                continue
            if child.kind == "item":
                rest = line[pos:]
                if is_blank(rest):
                    if not child.children and child.data.get("blank_start"):
                        all_matched = False
                        break
                    pos = min(len(line), pos + child.data["indent"])
                    node = child
                    continue
                if lead(line, pos) >= child.data["indent"]:
                    pos += child.data["indent"]
                    node = child
                    continue
                all_matched = False
                break
            break
        last_matched = node
        tip = self.tip()

        # 2. leaves that swallow lines
        if all_matched and tip.kind == "fenced" and tip.parent is node:
            rest = line[pos:]
            ind = lead(rest)
            m = re.match(r"(`{3,}|~{3,})[ \t]*$", rest[ind:]) if ind <= 3 else None
            if m and m.group(1)[0] == tip.data["char"] and len(m.group(1)) >= tip.data["len"]:
                tip.open = False
            else:
                tip.lines.append((ln, rest))
            return
        if all_matched and tip.kind == "html" and tip.parent is node:
            rest = line[pos:]
            t = tip.data["type"]
            if t in (6, 7) and is_blank(rest):
                tip.open = False
                # fall through: the blank line is processed normally below
            else:
                tip.lines.append((ln, rest))
                if self.html_ends(t, rest):
                    tip.open = False
                return

        # 3. new block starts
        container = node
        para_here = (
            container.last_open_child() is not None
            and container.last_open_child().kind == "paragraph"
            and all_matched
        )
        maybe_lazy = tip.kind == "paragraph"
        started = False
        while True:
            rest = line[pos:]
            ind = lead(rest)
            indented = ind >= 4
            s = rest[ind:]
            if not indented and s.startswith(">"):
                self.close_unmatched(last_matched) if not started else None
                if container.kind == "list":
                    self.close(container)
                    container = container.parent
                bq = Node("blockquote", container, ln)
                pos += ind + 1
                if pos < len(line) and line[pos] == " ":
                    pos += 1
                container = bq
                last_matched = bq
                started = True
                para_here = False
                continue
            if not indented:
                m = RE_FENCE.match(s)
                if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
                    self._prep(last_matched, started)
                    container = self._leaf_parent(container)
                    Node(
                        "fenced", container, ln, char=m.group(1)[0], len=len(m.group(1)), indent=ind
                    )
                    return
                if RE_ATX.match(s):
                    self._prep(last_matched, started)
                    container = self._leaf_parent(container)
                    h = Node("heading", container, ln)
                    h.lines.append((ln, re.sub(r"^#{1,6}", "", s)))
                    h.open = False
                    return
                htype = self.html_start(s, para_here)
                if htype:
                    self._prep(last_matched, started)
                    container = self._leaf_parent(container)
                    h = Node("html", container, ln, type=htype)
                    h.lines.append((ln, rest))
                    if htype <= 5 and self.html_ends(htype, s):
                        h.open = False
                    return
                if (
                    para_here
                    and RE_SETEXT.match(s)
                    and container.last_open_child().kind == "paragraph"
                ):
                    p = container.last_open_child()
                    p.kind = "heading"
                    p.open = False
                    return
                if RE_HR.match(s):
                    self._prep(last_matched, started)
                    container = self._leaf_parent(container)
                    Node("hr", container, ln).open = False
                    return
            if not indented:
                item = self.list_marker(rest, ind, para_here)
                if item:
                    marker_type, start_no, content_off, blank_start = item
                    self._prep(last_matched, started)
                    started = True
                    if container.kind == "list" and container.data["type"] != marker_type:
                        self.close(container)
                        container = container.parent
                    if container.kind != "list":
                        lst = container.last_open_child()
                        if (
                            lst is not None
                            and lst.kind == "list"
                            and lst.data["type"] == marker_type
                        ):
                            container = lst
                        else:
                            if lst is not None:
                                self.close(lst)
                            container = Node(
                                "list", container, ln, type=marker_type, start=start_no
                            )
                    else:
                        c = container.last_open_child()
                        if c is not None:
                            self.close(c)
                    it = Node(
                        "item", container, ln, indent=pos + content_off, blank_start=blank_start
                    )
                    pos = pos + content_off
                    if pos > len(line):
                        pos = len(line)
                    container = it
                    last_matched = it
                    para_here = False
                    continue
            if indented and not maybe_lazy and not is_blank(rest):
                self._prep(last_matched, started)
                container = self._leaf_parent(container)
                prev = container.last_open_child()
                if prev is not None and prev.kind == "indented":
                    prev.lines.append((ln, rest[4:]))
                else:
                    c = Node("indented", container, ln)
                    c.lines.append((ln, rest[4:]))
                return
            break

        rest = line[pos:]
        # 4. lazy continuation
        if not started and not all_matched and tip.kind == "paragraph" and not is_blank(rest):
            tip.lines.append((ln, rest.strip()))
            return
        if not started:
            self.close_unmatched(last_matched)
        # 5. add the line to the container
        if container.kind == "list":
            # a non-item line directly in a list: the list ends
            if is_blank(rest):
                return
            self.close(container)
            container = container.parent
        last = container.last_open_child()
        if is_blank(rest):
            if last is not None and last.kind in ("paragraph", "table", "indented"):
                if last.kind == "indented":
                    last.lines.append((ln, ""))
                else:
                    self.close(last)
            return
        if last is not None and last.kind == "indented":
            self.close(last)
            last = None
        if last is not None and last.kind == "paragraph":
            hdr = last.lines[-1][1] if last.lines else ""
            if RE_DELIM_ROW.match(rest.strip()) and "|" in (rest + hdr) and "-" in rest:
                ncols = len(split_cells(hdr))
                if ncols == len(split_cells(rest)):
                    hdr_ln = last.lines[-1][0]
                    last.lines.pop()
                    if not last.lines:
                        last.kind = "_empty"
                    self.close(last)
                    t = Node("table", container, hdr_ln, ncols=ncols, rows=[], header=hdr)
                    self.debug.append(f"table header line {hdr_ln} ({ncols} cols)")
                    return
                self.debug.append(f"delimiter-like line {ln}: column count mismatch, not a table")
            last.lines.append((ln, rest.strip()))
            return
        if last is not None and last.kind == "table":
            if "|" in rest:
                rows = last.data["rows"]
                stripped = rest.strip()
                if (
                    rows
                    and not stripped.startswith("|")
                    and len(split_cells(rows[-1]["text"])) < last.data["ncols"]
                ):
                    rows[-1]["text"] += " " + stripped
                    rows[-1]["lines"].append(ln)
                    self.debug.append(
                        f"table row line {ln} merged into row at line {rows[-1]['lines'][0]}"
                    )
                else:
                    rows.append({"text": stripped, "lines": [ln]})
                return
            self.debug.append(f"table ended at pipe-less line {ln}")
            self.close(last)
        p = Node("paragraph", container, ln)
        p.lines.append((ln, rest.strip()))

    def _prep(self, last_matched, started):
        if not started:
            self.close_unmatched(last_matched)

    def _leaf_parent(self, container):
        if container.kind == "list":
            self.close(container)
            container = container.parent
        last = container.last_open_child()
        if (last is not None and last.kind not in CONTAINERS) or (
            last is not None and last.kind == "list"
        ):
            self.close(last)
        return container

    @staticmethod
    def list_marker(rest, ind, para_here):
        s = rest[ind:]
        m = RE_BULLET.match(s)
        if m:
            mtype = ("bullet", m.group(1))
            start = None
        else:
            m = RE_ORDERED.match(s)
            if not m:
                return None
            mtype = ("ordered", m.group(2))
            start = int(m.group(1))
        after = s[m.end() :]
        blank_start = is_blank(after)
        if para_here:
            if blank_start:
                return None
            if start is not None and start != 1:
                return None
        marker_end = ind + m.end()
        if blank_start:
            return mtype, start, marker_end + 1, True
        sp = lead(after)
        if sp >= 5:
            return mtype, start, marker_end + 1, False
        return mtype, start, marker_end + sp, False

    @staticmethod
    def html_start(s, para_here):
        if RE_HTML1.match(s):
            return 1
        if s.startswith("<!--"):
            return 2
        if s.startswith("<?"):
            return 3
        if re.match(r"<![A-Za-z]", s):
            return 4
        if s.startswith("<![CDATA["):
            return 5
        if RE_HTML6.match(s):
            return 6
        if (
            not para_here
            and RE_HTML7.match(s)
            and not re.match(r"</?(?:script|style|pre|textarea)\b", s, re.I)
        ):
            return 7
        return 0

    @staticmethod
    def html_ends(t, s):
        if t == 1:
            return re.search(r"</(?:script|pre|style|textarea)>", s, re.I) is not None
        if t == 2:
            return "-->" in s
        if t == 3:
            return "?>" in s
        if t == 4:
            return ">" in s
        if t == 5:
            return "]]>" in s
        return False


# ----------------------------------------------------------------------------- inline scanner

RE_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
RE_OPEN_TAG = re.compile(rf"<([A-Za-z][A-Za-z0-9-]*)({ATTR}*)\s*/?>", re.S)
RE_CLOSE_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")
RE_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
RE_HTTP = re.compile(r"https?://", re.I)
ESCAPABLE = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def trim_bare_url(url, log):
    """cmark-gfm autolink_delim, plus ']' and '}' trimming as the brief asks"""
    opening, closing = url.count("("), url.count(")")
    end = len(url)
    while end > 0:
        c = url[end - 1]
        if c == ")":
            if closing <= opening:
                break
            closing -= 1
            end -= 1
        elif c in "?!.,:*_~'\"":
            end -= 1
        elif c in "]}":
            log.append(f"bare URL trailing {c!r} trimmed: {url}")
            end -= 1
        elif c == ";":
            j = end - 2
            while j > 0 and url[j].isalpha():
                j -= 1
            if j < end - 2 and url[j] == "&":
                end = j
            else:
                end -= 1
        else:
            break
    return url[:end]


def parse_link_dest(text, i):
    """text[i] == '(' ; returns (dest, end_index_after_paren) or None"""
    n = len(text)
    j = i + 1
    # optional whitespace (incl. one newline)
    while j < n and text[j] in " \t\n":
        j += 1
    dest = ""
    if j < n and text[j] == "<":
        k = j + 1
        while k < n and text[k] not in "<>\n":
            if text[k] == "\\" and k + 1 < n:
                k += 2
                continue
            k += 1
        if k >= n or text[k] != ">":
            return None
        dest = text[j + 1 : k]
        j = k + 1
    else:
        depth = 0
        k = j
        while k < n:
            c = text[k]
            if c == "\\" and k + 1 < n and text[k + 1] in ESCAPABLE:
                k += 2
                continue
            if c in " \t\n" or ord(c) < 0x20:
                break
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            k += 1
        if depth != 0:
            return None
        dest = text[j:k]
        j = k
    # optional title
    k = j
    while k < n and text[k] in " \t\n":
        k += 1
    if k < n and text[k] in "\"'(" and k > j:
        close = {'"': '"', "'": "'", "(": ")"}[text[k]]
        m = k + 1
        while m < n and text[m] != close:
            if text[m] == "\\":
                m += 1
            m += 1
        if m >= n:
            return None
        k = m + 1
        while k < n and text[k] in " \t\n":
            k += 1
    if k < n and text[k] == ")":
        d = re.sub(r"\\([{}])".format(re.escape("".join(sorted(ESCAPABLE)))), r"\1", dest)
        return unescape(d), k + 1
    return None


def _tag_events(text: str, i: int, events: list) -> int | None:  # type: ignore[type-arg]
    """An HTML open or close tag at i: its events (an <a href> is a link); the end, or None."""
    m = RE_OPEN_TAG.match(text, i)
    if m:
        name = m.group(1).lower()
        if name == "a":
            h = RE_HREF.search(m.group(2))
            if h:
                events.append(
                    ("link", unescape(h.group(1) or h.group(2) or h.group(3) or ""), "a-href")
                )
        events.append(("tag", name, False))
        return m.end()
    m = RE_CLOSE_TAG.match(text, i)
    if m:
        events.append(("tag", m.group(1).lower(), True))
        return m.end()
    return None


def scan_inline(text, refdefs, log):
    """Return ordered events: ('link', url, kind) and ('tag', name, is_close)."""
    events = []
    n = len(text)
    brackets = []  # dicts: pos, image, active, ev_index
    i = 0
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in ESCAPABLE:
            i += 2
            continue
        if c == "`":
            j = i
            while j < n and text[j] == "`":
                j += 1
            run = j - i
            k = j
            found = -1
            while k < n:
                if text[k] == "`":
                    m = k
                    while m < n and text[m] == "`":
                        m += 1
                    if m - k == run:
                        found = m
                        break
                    k = m
                else:
                    k += 1
            i = found if found >= 0 else j
            continue
        if c == "<":
            m = RE_AUTOLINK.match(text, i)
            if m:
                events.append(("link", m.group(1), "autolink"))
                i = m.end()
                continue
            if text.startswith("<!--", i):
                end = text.find("-->", i + 4)
                if end >= 0:
                    i = end + 3
                    continue
            end = _tag_events(text, i, events)
            if end is not None:
                i = end
                continue
            i += 1
            continue
        if c == "!" and i + 1 < n and text[i + 1] == "[":
            brackets.append({"pos": i + 2, "image": True, "active": True, "ev": len(events)})
            i += 2
            continue
        if c == "[":
            brackets.append({"pos": i + 1, "image": False, "active": True, "ev": len(events)})
            i += 1
            continue
        if c == "]":
            if not brackets:
                i += 1
                continue
            op = brackets.pop()
            if not op["active"]:
                i += 1
                continue
            dest = None
            end = i + 1
            if i + 1 < n and text[i + 1] == "(":
                r = parse_link_dest(text, i + 1)
                if r:
                    dest, end = r
            if dest is None and refdefs:
                label = None
                m = re.match(r"\[([^\]]*)\]", text[i + 1 :])
                if m and m.group(1).strip():
                    label, end = m.group(1), i + 1 + m.end()
                elif m:
                    label, end = text[op["pos"] : i], i + 1 + m.end()
                else:
                    label, end = text[op["pos"] : i], i + 1
                key = " ".join(label.lower().split())
                if key in refdefs:
                    dest = refdefs[key]
                    log.append(f"reference link used: {label}")
            if dest is None:
                i += 1
                continue
            if op["image"]:
                # image: any link events inside its alt text are not rendered links
                del events[op["ev"] :]
            else:
                events.insert(op["ev"], ("link", dest, "md"))
                for b in brackets:
                    if not b["image"]:
                        b["active"] = False
            i = end
            continue
        if c in "hH" and RE_HTTP.match(text, i):
            if i > 0 and text[i - 1].isascii() and text[i - 1].isalpha():
                log.append(
                    f"bare URL not linked (preceded by a letter): {text[max(0, i - 10) : i + 60]!r}"
                )
                i += 1
                continue
            if brackets:  # cmark-gfm: no bare autolinks inside an open bracket
                log.append(
                    "bare URL not linked (inside an open bracket): "
                    f"{text[max(0, i - 10) : i + 60]!r}"
                )
                i += 1
                continue
            j = i
            while j < n and not text[j].isspace() and text[j] != "<":
                j += 1
            url = trim_bare_url(text[i:j], log)
            if len(url) > len(RE_HTTP.match(url).group(0)):
                events.append(("link", url, "bare"))
                i = i + len(url)
                continue
            i += 1
            continue
        i += 1
    return events


def scan_html(text):
    """links (<a href>) and tr/table tags in a raw HTML block, skipping comments"""
    events = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            i = n if end < 0 else end + 3
            continue
        if text[i] == "<":
            end = _tag_events(text, i, events)
            if end is not None:
                i = end
                continue
        i += 1
    return events


# ----------------------------------------------------------------------------- classification

RE_ARXIV = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/+(abs|pdf|html)/+"
    r"(\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Za-z-]+)?/\d{7})"
    r"(v\d+)?(\.pdf)?/?(?:[?#].*)?$",
    re.I,
)
# other sites' pages of an arXiv paper, named by its ID (Hugging Face, alphaXiv, arXiv's DOI)
RE_ARXIV_MIRROR = re.compile(
    r"^https?://(?:(?:www\.)?huggingface\.co/papers|hf\.co/papers|(?:www\.)?alphaxiv\.org/abs"
    r"|(?:dx\.|www\.)?doi\.org/10\.48550/arxiv\.)/*"
    r"(\d{4}\.\d{4,5})(v\d+)?/?(?:[?#].*)?$",
    re.I,
)
RE_ARXIV_HOST = re.compile(r"^https?://(?:www\.|export\.)?arxiv\.org/", re.I)
RE_GITHUB = re.compile(r"^https?://(?:www\.)?github\.com/([^/?#]+)/([^/?#]+)", re.I)
RE_GH_OWNER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")
RE_GH_REPO = re.compile(r"[A-Za-z0-9._-]{1,100}")
GH_RESERVED = {
    "orgs",
    "features",
    "sponsors",
    "topics",
    "marketplace",
    "settings",
    "notifications",
    "login",
    "about",
    "pricing",
    "site",
    "apps",
    "collections",
    "trending",
    "explore",
    "search",
    "issues",
    "pulls",
    "users",
}


def arxiv_id(url, log):
    mirror = RE_ARXIV_MIRROR.match(url)
    if mirror:
        return mirror.group(1)
    m = RE_ARXIV.match(url)
    if not m:
        if RE_ARXIV_HOST.match(url):
            log.append(f"arxiv.org link target not parsed as a paper id: {url}")
        return None
    if m.group(4) and m.group(1).lower() != "pdf":
        log.append(f".pdf suffix on non-pdf arxiv path: {url}")
    return m.group(2)


def github_repo(url):
    m = RE_GITHUB.match(url)
    if not m:
        return None
    owner, repo = m.group(1), m.group(2)
    if owner.lower() in GH_RESERVED:
        return None
    if repo.lower().endswith(".git"):
        repo = repo[:-4]
    if not repo:
        return None
    # GitHub's naming rules: owners are ASCII letters, digits and hyphens; repository names
    # ASCII letters, digits, '.', '_' and '-'. A bare URL that runs on into other text
    # ("https://github.com/o/r：不确定中没中", GFM ends it only at whitespace or '<') names no repo.
    if not RE_GH_OWNER.fullmatch(owner) or not RE_GH_REPO.fullmatch(repo):
        return None
    return f"{owner.lower()}/{repo.lower()}"


def is_http(url):
    return RE_HTTP.match(url.strip()) is not None


RE_BOLD_START = re.compile(r"^(\*\*|__)(?=\S)")
RE_BOLD_ONLY = re.compile(r"^(\*\*|__)(?=\S)(.+?)(?<=\S)\1\s*$", re.S)


# ----------------------------------------------------------------------------- counting


def count_file(path):
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bp = BlockParser(text)
    doc = bp.parse()
    log = list(bp.debug)

    # link reference definitions, keyed by normalised label
    refdefs = {}
    stack = [doc]
    while stack:
        n = stack.pop()
        for c in n.children:
            for ln, label, dest in c.data.get("refdefs", []):
                refdefs.setdefault(" ".join(label.lower().split()), dest)
                log.append(f"reference definition line {ln}: [{label}] -> {dest}")
            if c.kind in CONTAINERS:
                stack.append(c)
    links = []  # (line, url, unit or None)
    units = {}  # unit id -> [kind, line, has_link]

    def unit(uid, kind, line):
        if uid not in units:
            units[uid] = [kind, line, False]
        return uid

    tr_state = {"row": None}
    egroup_lists = set()

    # pre-compute (e): bold-only paragraph followed by a bullet list with links
    def block_links_plain(b):
        if b.kind in ("paragraph", "heading"):
            return [
                e
                for e in scan_inline("\n".join(t for _, t in b.lines), refdefs, [])
                if e[0] == "link" and is_http(e[1])
            ]
        if b.kind == "html":
            return [
                e
                for e in scan_html("\n".join(t for _, t in b.lines))
                if e[0] == "link" and is_http(e[1])
            ]
        return []

    def list_has_links(lst):
        st = [lst]
        while st:
            x = st.pop()
            for c in x.children:
                if c.kind in CONTAINERS:
                    st.append(c)
                elif block_links_plain(c):
                    return True
        return False

    egroup_of_para = {}

    def find_groups(n):
        kids = n.children
        for idx, c in enumerate(kids):
            if c.kind in CONTAINERS:
                find_groups(c)
            if c.kind == "paragraph":
                t = "\n".join(x for _, x in c.lines).strip()
                if (
                    RE_BOLD_ONLY.match(t)
                    and not block_links_plain(c)
                    and (
                        idx + 1 < len(kids)
                        and kids[idx + 1].kind == "list"
                        and kids[idx + 1].data["type"][0] == "bullet"
                        and list_has_links(kids[idx + 1])
                    )
                ):
                    gid = ("group", c.line_no)
                    egroup_of_para[id(c)] = gid
                    egroup_lists.add(id(kids[idx + 1]))
                    kids[idx + 1].data["group"] = gid
                    log.append(f"(e) bold-title group at line {c.line_no}: {t[:60]!r}")

    find_groups(doc)

    def handle_events(events, default_unit, line):
        for ev in events:
            if ev[0] == "tag":
                name, closing = ev[1], ev[2]
                if name == "tr" and not closing:
                    tr_state["row"] = unit(("tr", line, len(units)), "tr", line)
                elif (name == "tr" and closing) or (name == "table" and closing):
                    tr_state["row"] = None
                continue
            url = ev[1].strip()
            if not is_http(url):
                continue
            u = tr_state["row"] if tr_state["row"] is not None else default_unit
            links.append((line, url, u))
            if u is not None:
                units[u][2] = True

    def walk(n, item_unit, group_unit):
        for c in n.children:
            if c.kind == "list":
                g = c.data.get("group", group_unit)
                if g is not None and g != group_unit:
                    unit(g, "group", c.line_no)
                walk(c, item_unit, g)
            elif c.kind == "item":
                if group_unit is not None:
                    walk(c, group_unit, group_unit)
                else:
                    uid = unit(("item", c.line_no), "item", c.line_no)
                    walk(c, uid, None)
            elif c.kind == "blockquote":
                walk(c, item_unit, group_unit)
            elif c.kind in ("paragraph", "heading", "_empty"):
                for ln, _label, dest in c.data.get("refdefs", []):
                    handle_events([("link", dest, "refdef")], item_unit, ln)
                if not c.lines:
                    continue
                txt = "\n".join(t for _, t in c.lines)
                u = item_unit
                if u is None and c.kind == "paragraph":
                    if id(c) in egroup_of_para:
                        u = unit(egroup_of_para[id(c)], "group", c.line_no)
                    elif RE_BOLD_START.match(txt.lstrip()):
                        u = unit(("boldpara", c.line_no), "boldpara", c.line_no)
                handle_events(scan_inline(txt, refdefs, log), u, c.line_no)
            elif c.kind == "html":
                txt = "\n".join(t for _, t in c.lines)
                if c.data["type"] != 2 and re.search(r"\]\(https?://", txt):
                    log.append(
                        f"markdown link syntax inside HTML block at line {c.line_no} "
                        "(not a link in GFM)"
                    )
                handle_events(scan_html(txt), item_unit, c.line_no)
            elif c.kind == "table":
                if item_unit is not None:
                    log.append(f"table inside list item at line {c.line_no}")
                for cell in split_cells(c.data["header"]):
                    handle_events(scan_inline(cell, refdefs, log), None, c.line_no)
                for row in c.data["rows"]:
                    rl = row["lines"][0]
                    uid = unit(("row", rl), "row", rl)
                    for cell in split_cells(row["text"]):
                        handle_events(scan_inline(cell, refdefs, log), uid, rl)
                    # cross-check: per-row scan gives the same targets?
                    a = [e[1] for e in scan_inline(row["text"], refdefs, []) if e[0] == "link"]
                    b = [
                        e[1]
                        for cell in split_cells(row["text"])
                        for e in scan_inline(cell, refdefs, [])
                        if e[0] == "link"
                    ]
                    if a != b:
                        log.append(f"row {rl}: per-cell vs per-row link scan differ")
            # fenced / indented code, hr: nothing

    walk(doc, None, None)

    ids = set()
    repos = set()
    for _ln, url, _u in links:
        a = arxiv_id(url, log)
        if a:
            ids.add(a)
        r = github_repo(url)
        if r:
            repos.add(r)
    entries = sorted((v[1], v[0]) for v in units.values() if v[2])
    result = {
        "entries": len(entries),
        "arxiv_ids": len(ids),
        "links": len(links),
        "repos": len(repos),
    }
    detail = {
        "entries": entries,
        "links": links,
        "ids": sorted(ids),
        "repos": sorted(repos),
        "log": log,
    }
    return result, detail


def main(argv):
    debug_path = None
    if "--debug" in argv:
        k = argv.index("--debug")
        debug_path = argv[k + 1]
        argv = argv[:k] + argv[k + 2 :]
    dirs = argv[1:] or ["/work/shared/data/corpus", "/work/shared/data/seed"]
    out = {}
    dbg = []
    for d in dirs:
        for name in sorted(os.listdir(d)):
            if not name.endswith(".md") or name == "NOTES.md":
                continue
            res, detail = count_file(os.path.join(d, name))
            out[name] = res
            dbg.append((name, res, detail))
    out = dict(sorted(out.items()))
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus_counts.json")
    with open(target, "w", encoding="utf-8") as fh:
        json.dump(out, fh, indent=2, sort_keys=True)
        fh.write("\n")
    if debug_path:
        with open(debug_path, "w", encoding="utf-8") as fh:
            for name, res, detail in dbg:
                fh.write(f"##### {name} {json.dumps(res)}\n")
                for line in detail["log"]:
                    fh.write(f"LOG {line}\n")
                for ln, kind in detail["entries"]:
                    fh.write(f"ENTRY {ln} {kind}\n")
                for ln, url, u in detail["links"]:
                    fh.write(f"LINK {ln} {url} {u[0] if u else '-'}\n")
                fh.write("IDS " + " ".join(detail["ids"]) + "\n")
                fh.write("REPOS " + " ".join(detail["repos"]) + "\n")
    for name, res in out.items():
        print(f"{name:70s} {res}")


if __name__ == "__main__":
    main(sys.argv)
