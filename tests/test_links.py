"""URL classification: arXiv IDs in every written form, GitHub repositories, private hosts."""

from __future__ import annotations

import string
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.links import (
    WRITTEN_ARXIV_ID,
    arxiv_id_of,
    arxiv_page,
    badge_arxiv_id,
    badge_repo,
    classify,
    doubled_slash,
    private_host,
    split_url,
    valid_arxiv_id,
    written_arxiv_id,
)
from checker.model import LinkKind


@pytest.mark.parametrize(
    ("url", "arxiv_id", "version"),
    [
        ("https://arxiv.org/abs/2106.09685", "2106.09685", None),
        ("https://arxiv.org/abs/2106.09685v2", "2106.09685", 2),
        ("http://arxiv.org/abs/2106.09685v12", "2106.09685", 12),
        ("https://arxiv.org/pdf/2106.09685", "2106.09685", None),
        ("https://arxiv.org/pdf/2106.09685.pdf", "2106.09685", None),
        ("http://arxiv.org/pdf/2106.09685v3.pdf", "2106.09685", 3),
        ("https://export.arxiv.org/abs/2106.09685", "2106.09685", None),
        ("https://www.arxiv.org/abs/2106.09685/", "2106.09685", None),
        ("HTTPS://ARXIV.ORG/abs/2106.09685", "2106.09685", None),
        ("https://arxiv.org/abs/2106.09685?context=cs", "2106.09685", None),
        ("https://arxiv.org/abs/2106.09685#S3", "2106.09685", None),
        ("https://arxiv.org/html/2402.17764v1", "2402.17764", 1),
        ("https://arxiv.org/abs/0704.0001", "0704.0001", None),  # the first new-style ID
        ("https://arxiv.org/abs/1412.6980", "1412.6980", None),  # four digits before 1501
        ("https://arxiv.org/abs/hep-th/9711200", "hep-th/9711200", None),
        ("https://arxiv.org/abs/hep-th/9711200v1", "hep-th/9711200", 1),
        ("https://arxiv.org/pdf/physics/0004057", "physics/0004057", None),
        ("https://arxiv.org/pdf/physics/0004057v1.pdf", "physics/0004057", 1),
        ("https://arxiv.org/abs/math.GT/0309136", "math/0309136", None),
        ("https://arxiv.org/abs/cs/0112017", "cs/0112017", None),
    ],
)
def test_arxiv_link_forms(url: str, arxiv_id: str, version: int | None) -> None:
    c = classify(url)
    assert c.kind is LinkKind.ARXIV
    assert c.arxiv_id == arxiv_id
    assert c.arxiv_version == version
    assert c.repo is None


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2113.01234",  # month 13
        "https://arxiv.org/abs/2100.01234",  # month 00
        "https://arxiv.org/abs/1501.0001",  # four digits after 1501
        "https://arxiv.org/abs/1412.12345",  # five digits before 1501
        "https://arxiv.org/abs/0703.0001",  # before new-style IDs existed
        "https://arxiv.org/abs/2106.0968",  # a digit short
        "https://arxiv.org/abs/2106.096855",  # a digit too many
        "https://arxiv.org/abs/foo/9711200",  # no such archive
        "https://arxiv.org/abs/hep-th/9713200",  # month 13, old style
        "https://arxiv.org/abs/hep-th/0813000",  # old style after 2007
        "https://arxiv.org/pdf/2106.09685vx.pdf",
        "https://arxiv.org/abs/",
    ],
)
def test_malformed_arxiv_links(url: str) -> None:
    c = classify(url)
    assert c.kind is LinkKind.ARXIV_MALFORMED
    assert c.arxiv_id is None


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/list/cs.CL/recent",
        "https://arxiv.org/",
        "https://info.arxiv.org/help/api/index.html",
        "https://notarxiv.org/abs/2106.09685",
    ],
)
def test_non_paper_arxiv_pages_are_plain_web_links(url: str) -> None:
    assert classify(url).kind is LinkKind.WEB


def test_arxiv_html_figure_with_valid_id_is_not_malformed() -> None:
    # A link to a figure of a valid paper names a valid identifier; calling it malformed is a
    # false `arxiv-id-malformed` error.
    assert classify("https://arxiv.org/html/2402.17764v1/x1.png").kind is not (
        LinkKind.ARXIV_MALFORMED
    )


@pytest.mark.parametrize(
    ("ident", "valid"),
    [
        ("2106.09685", True),
        ("0704.0001", True),
        ("1412.6980", True),
        ("1501.00001", True),
        ("1501.0001", False),
        ("1412.12345", False),
        ("2113.00001", False),
        ("hep-th/9711200", True),
        ("physics/0004057", True),
        ("math.GT/0309136", True),
        ("hep-th/9711200v1", False),  # versions are not part of the identifier
        ("2106.09685v2", False),
        ("nonsense/9711200", False),
        ("", False),
    ],
)
def test_valid_arxiv_id(ident: str, valid: bool) -> None:
    assert valid_arxiv_id(ident) is valid


@pytest.mark.parametrize(
    ("url", "repo"),
    [
        ("https://github.com/microsoft/LoRA", "microsoft/LoRA"),
        ("https://github.com/microsoft/LoRA/", "microsoft/LoRA"),
        ("http://github.com/microsoft/LoRA", "microsoft/LoRA"),
        ("https://www.github.com/microsoft/LoRA", "microsoft/LoRA"),
        ("https://github.com/microsoft/LoRA.git", "microsoft/LoRA"),
        ("https://github.com/microsoft/LoRA/tree/main/loralib", "microsoft/LoRA"),
        ("https://github.com/microsoft/LoRA/tree/main", "microsoft/LoRA"),
        ("https://github.com/microsoft/LoRA/blob/main/README.md#usage", "microsoft/LoRA"),
        ("https://github.com/microsoft/LoRA/issues/12", "microsoft/LoRA"),
        ("https://github.com/microsoft/LoRA?tab=readme-ov-file", "microsoft/LoRA"),
        ("https://github.com/huggingface/transformers.js", "huggingface/transformers.js"),
        (
            "https://github.com/502463708/Microcalcification_Detection",
            "502463708/Microcalcification_Detection",
        ),
    ],
)
def test_github_repository_links(url: str, repo: str) -> None:
    c = classify(url)
    assert c.kind is LinkKind.GITHUB
    assert c.repo == repo
    assert c.arxiv_id is None


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/microsoft",  # an owner, not a repository
        "https://github.com/",
        "https://github.com/topics/llm",
        "https://github.com/orgs/microsoft/repositories",
        "https://github.com/features/copilot",
        "https://github.com/sponsors/someone",
        "https://gist.github.com/someone/abc123",
        "https://raw.githubusercontent.com/a/b/main/x.md",
        # GFM ends a bare URL only at whitespace: this one runs on into Chinese text, and no
        # repository can have that name (amusi corpus file, "代码：…：不确定中没中").
        "https://github.com/rFID-submit/RandomFID%EF%BC%9A%E4%B8%8D%E7%A1%AE",
    ],
)
def test_github_links_that_name_no_repository(url: str) -> None:
    c = classify(url)
    assert c.kind is LinkKind.WEB
    assert c.repo is None


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("#introduction", LinkKind.ANCHOR),
        ("#", LinkKind.ANCHOR),
        ("mailto:someone@example.com", LinkKind.OTHER),
        ("./docs/other.md", LinkKind.OTHER),
        ("docs/other.md#x", LinkKind.OTHER),
        ("ftp://example.com/file", LinkKind.OTHER),
        ("https://example.com/paper.pdf", LinkKind.WEB),
        ("https://openreview.net/forum?id=abc", LinkKind.WEB),
    ],
)
def test_other_link_kinds(url: str, kind: LinkKind) -> None:
    assert classify(url).kind is kind


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.0.0.1:8000/paper.pdf",
        "http://127.1.2.3/",
        "http://10.0.0.1/",
        "http://10.255.1.2:9000/x",
        "http://172.16.0.1/",
        "http://172.31.255.255/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data",
        "http://localhost/",
        "http://localhost:3000/x",
        "http://LOCALHOST./",
        "http://app.localhost/",
        "http://[::1]/",
        "http://[::1]:8080/x",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1%25eth0]/",  # a zone index: still link-local
        "http://0.0.0.0/",
        # what a browser reads as 127.0.0.1: octal, hex, fewer than four parts, one number
        "http://0177.0.0.1/",
        "http://0x7f.1/",
        "http://127.1/",
        "http://2130706433/",
        "http://0xA9FEA9FE/latest/meta-data",  # 169.254.169.254
        "http://0x/",  # a bare 0x is 0: 0.0.0.0
        "http://0x.0x.0x.0x/",
    ],
)
def test_private_hosts(url: str) -> None:
    assert private_host(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2106.09685",
        "http://8.8.8.8/",
        "http://172.32.0.1/",  # just outside 172.16.0.0/12
        "http://11.0.0.1/",
        "http://[2001:4860:4860::8888]/",
        "https://localhost.example.com/",  # a public name that merely starts with localhost
        "https://10.example.com/",
        "https://127.0.0.1.example.com/",  # digits and dots, then a name
        "http://0x08.8.8.8/",  # 8.8.8.8 written in hex
        "https://deadbeef.com/",  # hex digits, but a name
        "mailto:someone@127.0.0.1",
        "#anchor",
        "not a url",
    ],
)
def test_public_or_hostless_urls_are_not_private(url: str) -> None:
    assert not private_host(url)


def _urlsplit_reading(url: str) -> tuple[str, str | None, str] | None:
    try:
        parts = urlsplit(url)
        return parts.scheme.lower(), parts.hostname, parts.path
    except ValueError:
        return None


_ODD = st.text(alphabet="aZ09._~-/%?#:@[]\\ \tß", max_size=12)
_ALNUM = string.ascii_letters + string.digits
# [A-Za-z0-9.-]{1,12} and (/[A-Za-z0-9_.~-]{0,8}){0,3}, from text: twice as fast as from_regex
_HOST = st.one_of(st.text(_ALNUM + ".-", min_size=1, max_size=12), _ODD)
_PATH = st.one_of(
    st.lists(st.text(_ALNUM + "_.~-", max_size=8), max_size=3).map(
        lambda parts: "".join("/" + part for part in parts)
    ),
    _ODD,
)
_PLAIN = st.builds(
    "{}://{}{}".format, st.sampled_from(["http", "https"]), _HOST, _PATH
)  # mostly the shape read with one match, sometimes just off it
_ANY = st.builds(
    "{}{}{}{}".format,
    st.sampled_from(["http", "https", "HTTPS", "ftp", "", "h"]),
    st.sampled_from(["://", ":/", ":", "//"]),
    _HOST,
    _PATH,
)


@settings(max_examples=300, deadline=None)
@given(url=st.one_of(_PLAIN, _ANY))
def test_urls_are_split_as_urlsplit_splits_them(url: str) -> None:
    """The plain `https://host/path` shape is read with one match instead of urlsplit: it must
    read every URL exactly as urlsplit does."""
    assert split_url(url) == _urlsplit_reading(url)


# ---------------------------------------------------------------------------------------------
# arXiv IDs wherever lists write them (issue 15.1): other sites' pages of a paper, arXiv's DOI,
# a doubled slash, IDs written as text


@pytest.mark.parametrize(
    ("url", "arxiv_id", "version", "page"),
    [
        ("https://huggingface.co/papers/2106.09685", "2106.09685", None, "hf"),
        ("https://huggingface.co/papers/2106.09685/", "2106.09685", None, "hf"),
        ("https://www.huggingface.co/papers/2106.09685v2", "2106.09685", 2, "hf"),
        ("https://hf.co/papers/2305.14314", "2305.14314", None, "hf"),
        ("https://alphaxiv.org/abs/2106.09685", "2106.09685", None, "alphaxiv"),
        ("https://www.alphaxiv.org/abs/2106.09685v3", "2106.09685", 3, "alphaxiv"),
        ("https://doi.org/10.48550/arXiv.2106.09685", "2106.09685", None, "doi"),
        ("https://doi.org/10.48550/ARXIV.2106.09685", "2106.09685", None, "doi"),  # any case
        ("http://dx.doi.org/10.48550/arxiv.2106.09685", "2106.09685", None, "doi"),
        ("https://doi.org/10.48550/arXiv.hep-th/9711200", "hep-th/9711200", None, "doi"),
        ("https://arxiv.org/html/2402.17764v1", "2402.17764", 1, "html"),
        ("https://arxiv.org/html/2402.17764", "2402.17764", None, "html"),
        ("https://arxiv.org/abs//2106.09685", "2106.09685", None, "abs"),  # a doubled slash
        ("https://arxiv.org//pdf/2106.09685.pdf", "2106.09685", None, "pdf"),
    ],
)
def test_arxiv_ids_on_other_pages_are_arxiv_links(
    url: str, arxiv_id: str, version: int | None, page: str
) -> None:
    c = classify(url)
    assert (c.kind, c.arxiv_id, c.arxiv_version) == (LinkKind.ARXIV, arxiv_id, version)
    assert arxiv_page(url) == page


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://huggingface.co/papers/2106.9685", LinkKind.ARXIV_MALFORMED),  # a digit short
        ("https://hf.co/papers/2113.09685", LinkKind.ARXIV_MALFORMED),  # month 13
        ("https://doi.org/10.48550/arXiv.2106.9685", LinkKind.ARXIV_MALFORMED),
        ("https://alphaxiv.org/abs/2106.096855", LinkKind.ARXIV_MALFORMED),
        ("https://huggingface.co/papers", LinkKind.WEB),  # the daily papers page
        ("https://huggingface.co/papers/trending", LinkKind.WEB),
        ("https://huggingface.co/microsoft/phi-2", LinkKind.WEB),  # a model, not a paper
        ("https://huggingface.co/papers/2106.09685/discussion", LinkKind.WEB),
        ("https://doi.org/10.1145/3290605.3300233", LinkKind.WEB),  # another publisher's DOI
        ("https://alphaxiv.org/", LinkKind.WEB),
        ("https://nothf.co/papers/2106.09685", LinkKind.WEB),
    ],
)
def test_other_pages_that_are_no_arxiv_paper_or_a_wrong_id(url: str, kind: LinkKind) -> None:
    assert classify(url).kind is kind


def test_the_id_part_of_a_url_as_written_for_messages() -> None:
    assert written_arxiv_id("https://hf.co/papers/2106.9685") == "2106.9685"
    assert written_arxiv_id("https://doi.org/10.48550/arXiv.2106.9685") == "2106.9685"
    assert written_arxiv_id("https://arxiv.org/abs/2106.9685") == "2106.9685"
    assert written_arxiv_id("https://arxiv.org/abs//2106.9685") == "2106.9685"


def test_an_arxiv_figure_is_no_paper_page() -> None:
    assert arxiv_page("https://arxiv.org/html/2402.17764v1/x1.png") == "figure"
    assert arxiv_page("https://arxiv.org/html/2402.17764v1/#S2") == "html"
    assert arxiv_page("https://example.org/abs/2106.09685") is None


@pytest.mark.parametrize(
    ("url", "fixed"),
    [
        ("https://arxiv.org/abs//2106.09685", "https://arxiv.org/abs/2106.09685"),
        ("https://arxiv.org//abs/2106.09685", "https://arxiv.org/abs/2106.09685"),
        ("https://arxiv.org/pdf///2106.09685.pdf", "https://arxiv.org/pdf/2106.09685.pdf"),
        # the query and the fragment are not the path: left as written
        ("https://arxiv.org/abs//2106.09685?x=a//b#c//d", "https://arxiv.org/abs/2106.09685?x=a//b#c//d"),
        ("https://arxiv.org/abs/2106.09685", None),
        ("https://arxiv.org/abs/2106.09685?u=http://x", None),
    ],
)  # fmt: skip
def test_a_doubled_slash_and_the_url_without_it(url: str, fixed: str | None) -> None:
    assert doubled_slash(url) == fixed


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("arXiv:2106.09685", [("2106.09685", None)]),
        ("arXiv preprint arXiv:2106.09685, 2021.", [("2106.09685", None)]),
        ("ARXIV: 2106.09685v2 (cs.CL)", [("2106.09685", 2)]),
        ("arxiv 2106.09685", [("2106.09685", None)]),
        ("arXiv:hep-th/9711200.", [("hep-th/9711200", None)]),
        ("arXiv:math.GT/0309136", [("math/0309136", None)]),
        ("doi:10.48550/arXiv.2106.09685", [("2106.09685", None)]),
        ("10.48550/ARXIV.2305.14314.", [("2305.14314", None)]),
        ("arXiv:2106.09685 and arXiv:2305.14314", [("2106.09685", None), ("2305.14314", None)]),
        ("2106.09685", []),  # a bare number says nothing on its own
        ("arXiv 2021", []),
        ("arXiv:2106.096851", []),  # a longer number
        ("arXiv:2106.09685.3", []),
        ("models?other=arxiv:2101.11038", []),  # part of a URL written as text
        ("myarxiv:2106.09685", []),  # part of a word
        ("see arxiv.org/abs/2106.09685", []),  # a URL (linked when it has a scheme)
    ],
)
def test_arxiv_ids_written_as_text(text: str, found: list[tuple[str, int | None]]) -> None:
    got = [arxiv_id_of(m) for m in WRITTEN_ARXIV_ID.finditer(text)]
    assert [(c.arxiv_id, c.arxiv_version) for c in got] == found


def test_an_id_written_as_text_that_cannot_exist_is_malformed() -> None:
    (m,) = WRITTEN_ARXIV_ID.finditer("arXiv:2113.09685")
    assert arxiv_id_of(m).kind is LinkKind.ARXIV_MALFORMED


@pytest.mark.parametrize(
    ("image", "repo"),
    [
        ("https://img.shields.io/github/stars/THUDM/CogVLM.svg?style=social&label=Star",
         "THUDM/CogVLM"),
        ("https://img.shields.io/github/stars/THUDM/CogVLM", "THUDM/CogVLM"),
        ("https://img.shields.io/github/forks/microsoft/LoRA.svg", "microsoft/LoRA"),
        ("https://img.shields.io/github/last-commit/microsoft/LoRA", "microsoft/LoRA"),
        ("https://img.shields.io/github/v/release/microsoft/LoRA", "microsoft/LoRA"),
        ("https://img.shields.io/github/commit-activity/m/microsoft/LoRA", "microsoft/LoRA"),
        ("https://badgen.net/github/stars/microsoft/LoRA", "microsoft/LoRA"),
        ("https://img.shields.io/badge/Conference-ICML'23-blue", None),
        ("https://img.shields.io/github/stars/THUDM", None),  # no repository named
        ("https://example.org/github/stars/a/b", None),  # not a badge service
        ("figures/sparsegpt.png", None),
    ],
)  # fmt: skip
def test_the_repository_a_github_badge_names(image: str, repo: str | None) -> None:
    assert badge_repo(image) == repo


def test_the_id_an_arxiv_badge_shows() -> None:
    assert badge_arxiv_id("https://img.shields.io/badge/arXiv-2106.09685-b31b1b.svg") == (
        "2106.09685"
    )
    assert badge_arxiv_id("https://img.shields.io/badge/Paper-2106.09685-blue") is None
    assert badge_arxiv_id("https://img.shields.io/badge/arXiv-paper-b31b1b") is None
