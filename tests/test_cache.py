"""The UI's cache: one training shared by every session that asks for it, and a bound on trainings at once."""

import threading
import time

from core.babygpt.data import ARTICLE_SEQUENCE, parse_digits
from core.babygpt.train import TrainConfig, train
from core.model import GPTConfig
from core.runtime import jobs, settings
from ui import cache


def test_one_job_runs_once_for_many_sessions():
    calls = []

    def work(x, progress=None):
        calls.append(x)
        time.sleep(0.05)
        return x * 2

    job = jobs.Job(work, 21)
    results = []
    threads = [threading.Thread(target=lambda: results.append(job.result())) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 6, "every session gets the one result"
    assert calls == [21], "the work ran once"


def test_at_most_max_concurrent_jobs_run_at_once():
    running, peak, lock = [0], [0], threading.Lock()

    def work(progress=None):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1

    queued = [jobs.Job(work) for _ in range(settings.MAX_CONCURRENT_JOBS + 3)]
    threads = [threading.Thread(target=j.result) for j in queued]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == settings.MAX_CONCURRENT_JOBS, f"peak {peak[0]}, limit {settings.MAX_CONCURRENT_JOBS}"


def test_trained_is_shared_between_calls():
    tokens = parse_digits(ARTICLE_SEQUENCE, 2).tokens
    a = cache.trained(GPTConfig(), TrainConfig(steps=3), tokens)
    b = cache.trained(GPTConfig(), TrainConfig(steps=3), tokens)
    assert a is b, "the second session reuses the first one's training"
    assert not a.snapshots[3].flags.writeable, "shared results are read-only"


def test_a_restarted_server_reads_the_warm_store_instead_of_training(tmp_path, monkeypatch):
    """After `scripts/warm.py`, a fresh process serves the defaults from the store: the trainer is never called."""
    import numpy as np

    from core.store import ResultStore
    from scripts.warm import main as warm

    assert warm(["--store", str(tmp_path)]) == 0
    monkeypatch.setattr(settings, "store", lambda: ResultStore(tmp_path))
    cache._train_job.clear()  # as after a restart: no training in memory
    monkeypatch.setattr(jobs, "train", lambda *a, **k: (_ for _ in ()).throw(AssertionError("trained again")))
    tokens = parse_digits(ARTICLE_SEQUENCE, 2).tokens
    r = cache.trained(GPTConfig(), TrainConfig(), tokens)
    monkeypatch.undo()
    direct = train(GPTConfig(), TrainConfig(), tokens)
    assert r.losses == direct.losses and r.final_loss == direct.final_loss, "the stored numbers are the trained ones"
    assert all(np.array_equal(r.snapshots[s], direct.snapshots[s]) for s in direct.snapshots), "every snapshot, exactly"
    assert abs(r.snapshots[50][0b101, 1] - 0.79) < 0.005, "the article's 101 -> 011 at 79%"


def test_a_text_count_interrupted_once_is_counted_on_the_next_request():
    """A count stopped midway (the learner changed a setting, or the page reran) leaves its text for the next request:
    the finished job keeps only the result."""
    text = "the quick brown fox jumps over the lazy dog " * 20
    box = [text]
    job = jobs.Job(cache._analyse, "test:fox", "raw", 0.1, (0, 1, 2), box)

    def interrupted(*_a, **_k):
        raise RuntimeError("the page reran")

    try:
        job.result(progress=interrupted)
    except RuntimeError:
        pass
    assert box == [text], "the text is still there for the retry"
    sweep = job.result()
    assert [r.context for r in sweep.rows] == [0, 1, 2] and box == [], "counted on the retry; then only the result is kept"
