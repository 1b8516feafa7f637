"""Per-file results cached on disk, keyed by the file's content hash and the goal mile.

Re-running a block on the same export only analyses new files. One small
JSON file per result under::

    <cache dir>/block-v<milepace version>-s<schema>-<code>/<hash[:2]>/<hash>-g<goal>.json

The cache dir is ``$MILEPACE_CACHE_DIR`` when set, else platformdirs'
user cache dir for ``milepace`` (``~/.cache/milepace`` on Linux). A new
milepace version, a new :data:`~milepace.block.model.SCHEMA_VERSION`, or any
change to the installed package's code (``<code>``: a fingerprint of its
modules' sizes and modification times, so a development checkout whose
detector changed does not serve old results) starts a fresh folder, so stale
results are never read. Results of unexpected errors
(bugs) are never stored. A cache that cannot be written is silently skipped:
caching only ever saves time.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from pathlib import Path

from .model import SCHEMA_VERSION, FileResult

CACHE_ENV = "MILEPACE_CACHE_DIR"


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """8 hex digits that change whenever any module of the installed milepace changes.

    Computed once per process (the code a process runs is the code it imported).
    """
    import hashlib

    package = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(digest_size=4)
    # Contents, not modification times: the same code on another machine (a Dask worker, a fresh
    # checkout) must find the same cache folder. Reading ~1 MB of source costs a few ms, once.
    for path in sorted(package.rglob("*.py")):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        digest.update(f"{path.relative_to(package).as_posix()}:{len(data)};".encode())
        digest.update(data)
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """``$MILEPACE_CACHE_DIR`` or the platform's user cache dir for milepace."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("milepace", appauthor=False))


class ResultCache:
    """Content-addressed store of :class:`FileResult`.

    Parameters
    ----------
    directory
        Cache root; :func:`default_cache_dir` when ``None``.
    enabled
        ``False`` makes every lookup miss and every store a no-op (``--no-cache``).
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None, *, enabled: bool = True) -> None:
        from .. import __version__

        self.enabled = enabled
        base = Path(directory) if directory is not None else default_cache_dir()
        self.root = base / f"block-v{__version__}-s{SCHEMA_VERSION}-{code_fingerprint()}"
        self.hits = 0
        self.stores = 0

    def path_for(self, digest: str, goal_mile_s: float) -> Path:
        """Where the result for this content and goal lives."""
        return self.root / digest[:2] / f"{digest}-g{goal_mile_s:.2f}.json"

    def get(self, digest: str, goal_mile_s: float) -> FileResult | None:
        """The cached result, or ``None`` (missing, unreadable or from another schema)."""
        if not self.enabled or not digest:
            return None
        try:
            with open(self.path_for(digest, goal_mile_s), encoding="utf-8") as fh:
                data = json.load(fh)
            result = FileResult.from_dict(data)
        except (OSError, ValueError, TypeError, KeyError):
            return None
        if result.content_hash != digest:
            return None
        self.hits += 1
        return result

    def put(self, result: FileResult, goal_mile_s: float) -> None:
        """Store a result (atomically); unexpected errors and write failures are skipped."""
        if not self.enabled or result.unexpected or not result.content_hash:
            return
        target = self.path_for(result.content_hash, goal_mile_s)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(result.to_dict(), fh, separators=(",", ":"), allow_nan=False)
            os.replace(tmp, target)
            self.stores += 1
        except (OSError, ValueError):
            try:
                os.unlink(tmp)
            except (OSError, UnboundLocalError):
                pass
