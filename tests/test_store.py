"""The result store on disk: round trip, atomic rewrites, many writer processes, the size bound, damaged files."""

from __future__ import annotations

import hashlib
import multiprocessing
import threading
import time

import pytest

from core.store import HEADER, ResultStore, store_from_env, train_key

BIG = 4 * 2**20  # large enough that a rewrite takes many write calls


def value(i: int, size: int = BIG) -> bytes:
    """A value that identifies itself: every byte is i % 251, so a mix of two values is visible."""
    return bytes([i % 251]) * size


def is_whole(data: bytes, size: int = BIG) -> bool:
    return len(data) == size and data == data[:1] * size


def test_round_trip(tmp_path):
    store = ResultStore(tmp_path, max_bytes=2**20)
    assert store.get("missing") is None, "an absent key is a miss"
    store.put("a key", b"some bytes")
    assert store.get("a key") == b"some bytes", "a put value reads back unchanged"
    store.put("a key", b"other bytes")
    assert store.get("a key") == b"other bytes", "a second put replaces the value"
    again = ResultStore(tmp_path, max_bytes=2**20)
    assert again.get("a key") == b"other bytes", "another store on the same directory sees the value"
    assert store.path("a key").name == hashlib.sha256(b"a key").hexdigest() + ".bin"


def test_reader_never_sees_a_partial_value(tmp_path):
    """While a writer rewrites a big value again and again, every read is whole: never a miss, never a mix."""
    store = ResultStore(tmp_path, max_bytes=16 * BIG)
    store.put("k", value(0))
    stop = threading.Event()
    bad, reads = [], [0]

    def reader():
        while not stop.is_set():
            data = store.get("k")
            reads[0] += 1
            if data is None or not is_whole(data):
                bad.append(None if data is None else (len(data), data[:1], data[-1:]))

    t = threading.Thread(target=reader)
    t.start()
    for i in range(1, 40):
        store.put("k", value(i))
    stop.set()
    t.join()
    assert reads[0] > 10, f"the reader ran only {reads[0]} times"
    assert bad == [], f"{len(bad)} of {reads[0]} reads were partial or missing: {bad[:3]}"
    assert store.get("k") == value(39)


def _write_many(root: str, worker: int, rounds: int) -> None:
    store = ResultStore(root, max_bytes=64 * BIG)
    for r in range(rounds):
        store.put("shared", value(worker * 100 + r))


def test_processes_writing_the_same_key_leave_a_valid_value(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_many, args=(str(tmp_path), w, 8)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * 4, "every writer process finished cleanly"
    data = ResultStore(tmp_path, max_bytes=64 * BIG).get("shared")
    assert data is not None and is_whole(data), "the last complete write wins, whole"
    assert data[0] in {(w * 100 + r) % 251 for w in range(4) for r in range(8)}
    assert [p.name for p in tmp_path.iterdir()] == [ResultStore(tmp_path).path("shared").name], "no temporary file left"


def test_size_bound_evicts_the_least_recently_used(tmp_path):
    entry = HEADER.size + 1000
    store = ResultStore(tmp_path, max_bytes=3 * entry)
    for key in "abc":
        store.put(key, value(ord(key), 1000))
        time.sleep(0.01)
    assert store.get("a") is not None, "a is read, so b is now the least recently used"
    time.sleep(0.01)
    store.put("d", value(4, 1000))
    assert store.get("b") is None, "the least recently used value was evicted"
    assert all(store.get(k) is not None for k in "acd"), "the others stay"
    assert store.total_bytes() <= store.max_bytes, f"{store.total_bytes()} bytes stored, bound {store.max_bytes}"


def test_a_value_larger_than_the_bound_is_not_stored(tmp_path):
    store = ResultStore(tmp_path, max_bytes=1000)
    store.put("small", b"x" * 10)
    store.put("huge", b"x" * 2000)
    assert store.get("huge") is None and store.get("small") == b"x" * 10, "a value past the bound evicts nothing"


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated payload
        lambda b: b[:10],  # truncated header
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),  # one flipped bit
        lambda b: b"",  # empty file
        lambda b: b"not a store file at all" * 10,
    ],
    ids=["truncated", "short-header", "bit-flip", "empty", "garbage"],
)
def test_damaged_file_is_a_miss(tmp_path, damage):
    store = ResultStore(tmp_path, max_bytes=2**20)
    store.put("k", b"payload " * 100)
    path = store.path("k")
    path.write_bytes(damage(path.read_bytes()))
    assert store.get("k") is None, "a damaged file reads as a miss, not as wrong bytes"
    store.put("k", b"fresh")
    assert store.get("k") == b"fresh", "a put repairs it"


def test_store_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("BABYGPT_STORE", str(tmp_path / "nested" / "store"))
    store = store_from_env()
    assert store is not None and store.root == tmp_path / "nested" / "store" and store.root.is_dir()
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("BABYGPT_STORE", str(blocker / "store"))
    assert store_from_env() is None, "a directory that cannot be created gives no store"


def _another(value):
    """A different valid value for a config field: a flipped bool, a number doubled (n_head is set with n_embd)."""
    if isinstance(value, bool):
        return not value
    return value * 2 if value else 1


def test_train_key_covers_every_field():
    from dataclasses import fields, replace

    from core.babygpt.train import TrainConfig
    from core.model import GPTConfig

    tokens = (1, 0, 1)
    base = train_key(GPTConfig(), TrainConfig(), tokens)
    assert base == train_key(GPTConfig(), TrainConfig(), [1, 0, 1]), "tokens as a list or a tuple: same key"
    assert base == train_key(GPTConfig(**vars(GPTConfig())), TrainConfig(**vars(TrainConfig())), tokens), "equal configs"
    changed = {}
    for f in fields(GPTConfig):
        model = replace(GPTConfig(), **{f.name: _another(getattr(GPTConfig(), f.name))})
        assert getattr(model, f.name) != getattr(GPTConfig(), f.name)
        changed[f"model.{f.name}"] = train_key(model, TrainConfig(), tokens)
    for f in fields(TrainConfig):
        train = replace(TrainConfig(), **{f.name: _another(getattr(TrainConfig(), f.name))})
        assert getattr(train, f.name) != getattr(TrainConfig(), f.name)
        changed[f"train.{f.name}"] = train_key(GPTConfig(), train, tokens)
    changed["tokens"] = train_key(GPTConfig(), TrainConfig(), (1, 0, 0))
    changed["tokens longer"] = train_key(GPTConfig(), TrainConfig(), (1, 0, 1, 1))
    assert len(changed) == len(fields(GPTConfig)) + len(fields(TrainConfig)) + 2
    same = [name for name, key in changed.items() if key == base]
    assert not same, f"a change of {same} leaves the key as it was"
    assert len(set(changed.values())) == len(changed), "no two changes give the same key"
