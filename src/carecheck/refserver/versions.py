"""Resource versions on the wire: the ``ETag`` and ``Last-Modified`` headers of a read, and which version a vread asks for.

STU3 http.html: a read's version is reported in the ``ETag`` header as a weak tag of ``meta.versionId``
(``W/"1"``) and its ``meta.lastUpdated`` in ``Last-Modified``. The server keeps only the current
version of each resource, and a vread of it is answered as the read is ("Servers are encouraged to
support a version specific retrieval of the current version of the resource even if they do not provide
access to previous versions"); a vread of any other version is not found.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

__all__ = ["is_version", "version_headers"]


def version_headers(resource: Mapping[str, Any]) -> dict[str, str]:
    """``ETag`` and ``Last-Modified`` for ``resource``, each only when its ``meta`` has the value."""
    meta = resource.get("meta") or {}
    headers: dict[str, str] = {}
    if isinstance(meta.get("versionId"), str):
        headers["ETag"] = f'W/"{meta["versionId"]}"'
    if isinstance(meta.get("lastUpdated"), str):
        try:
            updated = datetime.fromisoformat(meta["lastUpdated"])
        except ValueError:
            return headers
        if updated.tzinfo is not None:
            headers["Last-Modified"] = format_datetime(updated.astimezone(UTC), usegmt=True)
    return headers


def is_version(resource: Mapping[str, Any], version: str) -> bool:
    """Whether ``version`` is the version ``resource`` is at."""
    return (resource.get("meta") or {}).get("versionId") == version
