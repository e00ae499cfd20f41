"""Loopback fakes of the services paperlint asks: arXiv, GitHub, Semantic Scholar, DBLP, the web,
the Wayback Machine.

Standard library only. See `server.FakeServices` for the URL layout and `world.World` for the
data and the fault switches.
"""

from .faults import Fault
from .seed_world import seed_world
from .server import FakeServices
from .wire import Reply, Request
from .world import (
    DBLP_TRACKS,
    S2_VENUES,
    S2_WORKSHOPS,
    WITHDRAWN_NOTE,
    Capture,
    DblpHit,
    Page,
    Paper,
    PublicationVenue,
    Repo,
    Venue,
    World,
    corr_hit,
    track_hit,
)

__all__ = [
    "DBLP_TRACKS",
    "S2_VENUES",
    "S2_WORKSHOPS",
    "WITHDRAWN_NOTE",
    "Capture",
    "DblpHit",
    "FakeServices",
    "Fault",
    "Page",
    "Paper",
    "PublicationVenue",
    "Reply",
    "Repo",
    "Request",
    "Venue",
    "World",
    "corr_hit",
    "seed_world",
    "track_hit",
]
