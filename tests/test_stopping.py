"""Stopping: a training in another thread ends at its next step, and stop_and_wait returns once it has.

Run in a fresh interpreter: the flag is process-wide and never lowered again (a stopping process stays stopping).
"""

import subprocess
import sys
import textwrap

from tests.test_pages import ROOT

SCRIPT = textwrap.dedent(
    """
    import threading, time
    from core import stopping
    from core.babygpt.train import TrainConfig, train
    from core.model import GPTConfig

    out = {}
    def run():
        try:
            train(GPTConfig(), TrainConfig(steps=2000), (0, 1, 1, 0) * 50, progress=lambda i, n, loss: out.update(step=i))
            out["end"] = "finished"
        except stopping.Stopping:
            out["end"] = "stopped"
    t = threading.Thread(target=run, daemon=True)
    t.start()
    while out.get("step", 0) < 5:
        time.sleep(0.01)
    t0 = time.perf_counter()
    waited, quick = stopping.stop_and_wait(30), time.perf_counter() - t0 < 5
    t.join(10)  # as the server joins its own threads: a thread still ending at exit could abort the interpreter
    print(waited, out.get("end"), out["step"] < 2000, quick)
    """
)


def test_a_running_training_stops_at_its_next_step_and_is_waited_for():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "stopped", "True", "True"], done.stdout
