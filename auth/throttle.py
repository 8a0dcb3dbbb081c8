"""Sign-in throttling. Pure functions; storage keeps the counters.

- Per account: after 5 failed sign-ins the account is locked for 15 minutes (ASVS V2.2.1).
  The counter decays: one failure is forgotten for every 10 minutes without one.
- Per client (remote address) and per username: after a few free failures each further
  failure makes the next attempt wait longer (1 s, 2 s, 4 s, ...). A waiting client is
  refused before any password is checked, so a flood costs neither CPU nor a write.
- A client that is throttled cannot lock a real user out: its failures no longer count
  towards the account's lockout, nor towards the username's delay.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_FAILED_ATTEMPTS = 5
LOCK_MINUTES = 15
FAILURE_DECAY = timedelta(minutes=10)  # one account failure forgotten per 10 quiet minutes


class SignInFailed(Exception):
    """One message for an unknown user, a wrong password, an inactive or a locked
    account, so that the message never tells which usernames exist."""

    MESSAGE = (
        "Sign-in failed: the username or password is wrong, or the account is locked "
        f"for {LOCK_MINUTES} minutes after {MAX_FAILED_ATTEMPTS} failed attempts."
    )

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


class SignInThrottled(SignInFailed):
    """Too many recent failures from this address or for this username: wait, then try again.
    Said the same way for every username, known or not."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        Exception.__init__(
            self, f"Too many failed sign-ins: wait {self.retry_after} seconds, then try again."
        )


def decayed(failures: int, last_failure_at: datetime | None, now: datetime, every: timedelta) -> int:
    """The failures still remembered: one is forgotten per `every` since the last one."""
    if last_failure_at is None or failures <= 0:
        return 0
    quiet = max(now - last_failure_at, timedelta(0))
    return max(0, failures - int(quiet / every))


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


def after_failure(failed_attempts: int, last_failed_at: datetime | None, now: datetime) -> tuple[int, datetime | None]:
    """The account's new (failed_attempts, locked_until) after one more failure.

    The counter starts again once the lock is set, so the next lock needs five
    fresh failures after it expires."""
    failed_attempts = decayed(failed_attempts, last_failed_at, now, FAILURE_DECAY) + 1
    if failed_attempts >= MAX_FAILED_ATTEMPTS:
        return 0, now + timedelta(minutes=LOCK_MINUTES)
    return failed_attempts, None


@dataclass(frozen=True)
class Throttle:
    """Growing delays for one kind of client key."""

    prefix: str
    free: int  # failures without any delay
    first_delay: timedelta
    max_delay: timedelta
    decay: timedelta  # one failure forgotten per this much quiet time

    def key(self, value: str) -> str:
        return f"{self.prefix}:{value}"[:120]

    def delay(self, failures: int) -> timedelta:
        if failures <= self.free:
            return timedelta(0)
        return min(self.first_delay * 2 ** min(failures - self.free - 1, 30), self.max_delay)

    def throttled(self, failures: int) -> bool:
        """Whether a client with this many remembered failures is being throttled."""
        return failures >= self.free

    def after_failure(self, failures: int, last_at: datetime | None, now: datetime) -> tuple[int, datetime | None]:
        """The key's new (failures, blocked_until) after one more failure."""
        failures = decayed(failures, last_at, now, self.decay) + 1
        wait = self.delay(failures)
        return failures, (now + wait if wait else None)


# Below MAX_FAILED_ATTEMPTS, so that one address alone can never lock an account.
REMOTE = Throttle("remote", free=3, first_delay=timedelta(seconds=1), max_delay=timedelta(minutes=5),
                  decay=timedelta(minutes=5))  # fmt: skip
# A short cap: many addresses guessing one username slow its owner down, but not for long.
USERNAME = Throttle("username", free=3, first_delay=timedelta(seconds=1), max_delay=timedelta(minutes=1),
                    decay=timedelta(minutes=5))  # fmt: skip


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies(text: str | None) -> tuple[Network, ...]:
    """The proxies whose X-Forwarded-For is believed, from a comma-separated list of
    addresses or networks (e.g. "127.0.0.1, 10.0.0.0/8"). Raises ValueError naming a bad entry."""
    found = []
    for entry in (text or "").split(","):
        if entry.strip():
            try:
                found.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError:
                raise ValueError(f"SIAGA_TRUSTED_PROXIES: '{entry.strip()}' is not an IP address or network") from None
    return tuple(found)


def _address(text: str | None):
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def client_address(peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str | None:
    """The client's address for throttling: the connection's peer, or, when the peer is a
    trusted proxy, the right-most X-Forwarded-For entry that is not itself a trusted proxy
    (the entries left of it are whatever the client chose to send). An IPv6 client is
    keyed by its /64, which one subscriber usually holds whole."""
    address = _address(peer)
    if forwarded_for and address is not None and any(address in net for net in trusted):
        for hop in reversed(forwarded_for.split(",")):
            hop_address = _address(hop)
            if hop_address is None:
                break  # a malformed hop: believe no further
            address = hop_address
            if not any(hop_address in net for net in trusted):
                break
    if address is None:
        return None
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
