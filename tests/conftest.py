import pytest

from core.data import ARTICLE_SEQUENCE, parse_digits
from core.model import GPTConfig
from core.train import TrainConfig, train


@pytest.fixture(scope="session")
def article_sequence():
    return parse_digits(ARTICLE_SEQUENCE, 2)


@pytest.fixture(scope="session")
def article_run(article_sequence):
    """The article's BabyGPT trained exactly as in the notebook, with a snapshot at every step."""
    return train(GPTConfig(), TrainConfig(), article_sequence.tokens, snapshots=list(range(51)))
