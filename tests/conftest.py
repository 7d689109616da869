import os
import tempfile

import pytest

from core.babygpt.data import ARTICLE_SEQUENCE, parse_digits
from core.babygpt.train import TrainConfig, train
from core.model import GPTConfig

os.environ.setdefault("BABYGPT_PRETRAIN", "off")  # no test process (nor a server it starts) trains the long text GPT
# The test run's own training queue, shared by its servers, never by a server left running on this machine.
os.environ.setdefault("BABYGPT_TURNS", tempfile.mkdtemp(prefix="babygpt-turns-"))


@pytest.fixture(scope="session")
def article_sequence():
    return parse_digits(ARTICLE_SEQUENCE, 2)


@pytest.fixture(scope="session")
def article_run(article_sequence):
    """The article's BabyGPT trained exactly as in the notebook, with a snapshot at every step."""
    return train(GPTConfig(), TrainConfig(), article_sequence.tokens, snapshots=list(range(51)))
