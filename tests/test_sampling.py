"""The n-gram sampler draws from the distribution core.text.ngram scores held-out text with."""

import numpy as np
import pytest

from core.text.ngram import example_bits
from core.text.sampling import kneser_ney, next_distribution


@pytest.mark.parametrize("method", ["modified", "one"])
@pytest.mark.parametrize("k", [0, 1, 2, 3])
def test_sampler_distribution_equals_the_scorers_probabilities_on_a_hand_made_text(k, method):
    # a b c a b d a b c c a d b a  (train) and b a b c a d a b (held out), alphabet a b c d
    train = np.array([0, 1, 2, 0, 1, 3, 0, 1, 2, 2, 0, 3, 1, 0])
    heldout = np.array([1, 0, 1, 2, 0, 3, 0, 1])
    bits, _ = example_bits(train, heldout, 4, k, method=method)
    kn = kneser_ney(train, 4, k, method)
    for i in range(k, len(heldout)):
        p = next_distribution(kn, heldout[:i])
        assert p.sum() == pytest.approx(1.0)
        assert p[heldout[i]] == pytest.approx(2.0 ** -bits[i - k], rel=1e-12), f"k={k}, position {i}"
