"""A result store on disk: bytes under a string key, shared by every process of the app.

What it is: `ResultStore(root, max_bytes)` keeps one file per key, named by the sha256 of the
key, so any string (the repr of a full configuration) makes a safe file name. A put writes a
temporary file in the same directory, fsyncs it and renames it over the old one, so a reader in
any process sees the old value, the new one or none, never a part of one. Each file starts with
the payload's length and sha256: a truncated or corrupt file reads as a miss. The total size is
bounded: after a put, the least recently used files go first (a get touches its file's mtime).

What it is not: a serialiser (it stores bytes; the caller picks the format), a cache policy (what
is worth keeping is the caller's choice), or a lock: two processes computing the same key both
write, and the last complete write wins. Plain Python: no torch, no streamlit.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pathlib
import struct
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEFAULT_MAX_BYTES = 512 * 2**20  # room for ~20 of the largest trainings the caps allow, thousands of small ones
KEY_VERSION = 2  # bump when the same configuration starts to give different numbers (the stored ones go stale)
MAGIC = b"BGSTORE1"
HEADER = struct.Struct(f"<{len(MAGIC)}sQ32s")  # magic, payload length, sha256 of the payload
SUFFIX = ".bin"
TMP_PREFIX = ".tmp-"
STALE_TMP_SECONDS = 3600  # a temporary file this old belongs to a writer that died


def train_key(model_config, train_config, tokens) -> str:
    """The store key of one training: every field of both configs, the tokens, and what computes them."""
    return repr(("train", KEY_VERSION, _torch_version(), model_config, train_config, tuple(tokens)))


def _torch_version() -> str:
    try:
        return importlib.metadata.version("torch")
    except importlib.metadata.PackageNotFoundError:
        return "none"


class ResultStore:
    """Bytes by key in one directory, at most about `max_bytes` in all (see the module docstring)."""

    def __init__(self, root: pathlib.Path, max_bytes: int = DEFAULT_MAX_BYTES):
        if max_bytes <= 0:
            raise ValueError(f"the store's size bound must be positive, got {max_bytes} bytes")
        self.root = pathlib.Path(root)
        self.max_bytes = max_bytes
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> pathlib.Path:
        """The file that holds `key`: path('x').name == sha256('x').hexdigest() + '.bin'."""
        return self.root / (hashlib.sha256(key.encode()).hexdigest() + SUFFIX)

    def get(self, key: str) -> bytes | None:
        """The stored bytes, or None if absent, truncated or corrupt. A hit counts as a use for the LRU order."""
        path = self.path(key)
        try:
            with open(path, "rb") as f:
                blob = f.read()
        except OSError:
            return None
        if len(blob) < HEADER.size:
            return None
        magic, n, digest = HEADER.unpack_from(blob)
        data = blob[HEADER.size :]
        if magic != MAGIC or len(data) != n or hashlib.sha256(data).digest() != digest:
            return None
        try:
            now = time.time_ns()
            os.utime(path, ns=(now, now))
        except OSError:
            pass  # evicted or read-only meanwhile: the value read is still whole
        return data

    def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key` atomically, then evict the least recently used files past max_bytes."""
        size = HEADER.size + len(data)
        if size > self.max_bytes:
            return  # would evict everything, itself included
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=TMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(HEADER.pack(MAGIC, len(data), hashlib.sha256(data).digest()))
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            now = time.time_ns()
            os.utime(tmp, ns=(now, now))
            os.replace(tmp, self.path(key))
        except BaseException:
            _unlink(pathlib.Path(tmp))
            raise
        self._fsync_dir()
        self._evict()

    def total_bytes(self) -> int:
        """Bytes in the store's value files (temporary files of writers in progress not counted)."""
        return sum(st.st_size for _, st in self._entries())

    def _entries(self) -> list[tuple[pathlib.Path, os.stat_result]]:
        out = []
        for entry in os.scandir(self.root):
            try:
                st = entry.stat()
            except OSError:
                continue  # removed meanwhile
            if entry.name.endswith(SUFFIX) and not entry.name.startswith(TMP_PREFIX):
                out.append((pathlib.Path(entry.path), st))
            elif entry.name.startswith(TMP_PREFIX) and time.time() - st.st_mtime > STALE_TMP_SECONDS:
                _unlink(pathlib.Path(entry.path))
        return out

    def _evict(self) -> None:
        entries = sorted(self._entries(), key=lambda e: (e[1].st_mtime_ns, e[0].name))
        total = sum(st.st_size for _, st in entries)
        for path, st in entries:
            if total <= self.max_bytes:
                break
            _unlink(path)
            total -= st.st_size

    def _fsync_dir(self) -> None:
        try:
            fd = os.open(self.root, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass  # not every file system can sync a directory
        finally:
            os.close(fd)


def _unlink(path: pathlib.Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def store_from_env() -> ResultStore | None:
    """The store at $BABYGPT_STORE (default <repo>/.store), at most $BABYGPT_STORE_MAX_MB; None if unusable."""
    root = pathlib.Path(os.environ.get("BABYGPT_STORE") or ROOT / ".store")
    max_mb = os.environ.get("BABYGPT_STORE_MAX_MB")
    try:
        store = ResultStore(root, int(max_mb) * 2**20 if max_mb else DEFAULT_MAX_BYTES)
        probe = tempfile.NamedTemporaryFile(dir=store.root, prefix=TMP_PREFIX)  # writable, not only present
        probe.close()
        return store
    except (OSError, ValueError):
        return None
