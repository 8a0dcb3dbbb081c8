"""Aggregates maintained on write: small tables of counts and exact score distributions per
questionnaire version, period and group of schools, which the dashboards and the peer medians
read instead of every stored score (see tables.py for their shape, hook.py for how they stay
equal to the stored results, rebuild.py for recomputing them)."""

from . import hook  # noqa: F401  (registers the session events that keep the aggregates current)
from .peers import MIN_SCHOOLS, PeerMedian, peer_medians
from .rebuild import rebuild_aggregates

__all__ = ["MIN_SCHOOLS", "PeerMedian", "peer_medians", "rebuild_aggregates"]
