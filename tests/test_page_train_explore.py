"""Train & explore's page model (`core.pages.train_explore`), without the web stack: its numbers and verdicts against
hand-computed chains, closed forms and direct calls of the core functions it reads."""

import math

import numpy as np
import pytest

from core.babygpt.data import ARTICLE_SEQUENCE, Sequence, parse_digits, random_walk
from core.babygpt.explain import RulesSummary, explain, rule_states, rules, summarise
from core.babygpt.mixing import at_temperature, tempered
from core.babygpt.states import all_states
from core.babygpt.train import TrainConfig, TrainResult, train
from core.model import GPTConfig
from core.pages import train_explore as page
from core.pages import unseen as never
from core.text.ngram import kneser_ney_rows

ARTICLE = parse_digits(ARTICLE_SEQUENCE, 2)


LN2 = math.log(2)


def fake_result(snapshots: dict, losses=(LN2, 0.5 * LN2), final=0.25 * LN2) -> TrainResult:
    """A training's record with known tables and losses (no model: the page model never reads it)."""
    return TrainResult(None, 1234, tuple(losses), final, snapshots, 0.0)


def a_chain(V: int, k: int, step: int = 0, T: float = 1.0, tokens=(0, 1, 1, 0, 1)) -> page.Chain:
    """A chain of V^k uniform rows: enough for the tabs that read only its size and key."""
    probs = np.full((V**k, V), 1 / V)
    key = page.ChainKey(GPTConfig(block_size=k, vocab_size=V), TrainConfig(), tuple(tokens), step, T)
    return page.Chain(key, probs, V, k)


@pytest.fixture(scope="module")
def article():
    """The article's GPT (defaults: k = 3, 50 steps, seed 1337), its table, the data's counts and the rules' summary."""
    mc, tc = GPTConfig(), TrainConfig()
    result = train(mc, tc, ARTICLE.tokens)
    c = page.chain(mc, tc, ARTICLE, result, tc.steps, 1.0)
    e = explain(ARTICLE.tokens, 2, 3, c.probs)
    states = all_states(2, 3)
    kn = kneser_ney_rows(np.asarray(ARTICLE.tokens), 2, 3, [states[int(s)] for s in rule_states(e)])
    r = rules(e, ARTICLE.tokens, kn)
    counts = np.zeros((8, 2), dtype=np.int64)
    for i in range(3, len(ARTICLE.tokens)):  # by hand: each window of 3 and the token after it
        state = ARTICLE.tokens[i - 3 : i]
        counts[state[0] * 4 + state[1] * 2 + state[2], ARTICLE.tokens[i]] += 1
    return result, c, e, r, summarise(r, len(e.never_seen)), counts


def test_the_key_names_the_table_it_keys():
    """Same configs, step and temperature: the same key; another step or temperature: another key and another table."""
    snaps = {0: np.array([[0.5, 0.5], [0.9, 0.1]]), 10: np.array([[0.2, 0.8], [0.6, 0.4]])}
    seq, mc, tc = Sequence((0, 1, 1, 0), ("0", "1")), GPTConfig(block_size=1), TrainConfig(steps=10)
    a, b = page.chain(mc, tc, seq, fake_result(snaps), 10, 0.5), page.chain(mc, tc, seq, fake_result(snaps), 10, 0.5)
    assert a.key == b.key and hash(a.key) == hash(b.key), "equal inputs, equal (hashable) keys"
    assert np.allclose(a.probs, tempered(snaps[10], 0.5)), "the table is the step's snapshot tempered by T"
    assert (a.key.model, a.key.train, a.key.tokens, a.key.step, a.key.temperature) == (mc, tc, seq.tokens, 10, 0.5)
    other = page.chain(mc, tc, seq, fake_result(snaps), 0, 0.5)
    assert other.key != a.key and not np.allclose(other.probs, a.probs), "another step: another key, another table"
    assert a.tempered and not page.chain(mc, tc, seq, fake_result(snaps), 10, 1.0).tempered
    assert a.key.as_trained == page.ChainKey(mc, tc, seq.tokens, 10, 1.0), "the untempered table of the same step"
    row = np.array([0.2, 0.8]) ** 2  # closed form of T = 0.5: p^(1/T) normalised
    assert np.allclose(a.probs[0], row / row.sum()), a.probs[0]


def test_training_summary_states_losses_in_bits_and_the_steps_in_order():
    snaps = {20: np.eye(2), 0: np.eye(2), 10: np.eye(2)}
    seq = Sequence((0, 1, 1, 0, 1, 1, 1), ("a", "b"))
    s = page.training(GPTConfig(block_size=2), seq, fake_result(snaps))
    assert (s.params, s.vocab, s.context, s.states, s.examples) == (1234, 2, 2, 4, 5), s
    assert s.first_bits == pytest.approx(1.0) and s.final_bits == pytest.approx(0.25), "ln 2 nats is one bit"
    assert s.steps == (0, 10, 20) and s.last == 20, "the slider's steps in order, opening on the last"
    untrained = page.training(GPTConfig(block_size=2), seq, fake_result({0: np.eye(2)}, losses=(), final=LN2))
    assert untrained.first_bits == pytest.approx(1.0), "no step taken: the first loss is the final one"


def test_progress_is_the_fraction_done_and_the_loss_in_bits():
    assert page.progress(5, 20, 2 * LN2) == pytest.approx((0.25, 2.0)), "2 ln 2 nats are 2 bits"


def test_the_article_answer_counts_its_states_and_says_why_not_50(article):
    """The published numbers: 8 states, 4 seen; the GPT gives 1 between 73% and 78% to the 4 never-seen ones, the data
    9 of 12 (75%), and the data's overall rate is the rule nearest for all 4."""
    _, c, _, _, summary, counts = article
    a = page.answer(c, counts, summary)
    assert (a.states, a.seen) == (8, 4), (a.states, a.seen)
    lead = a.lead
    assert (lead.token, lead.states, lead.never_seen, lead.partial) == (1, 4, 4, False), lead
    assert (lead.count, lead.examples, lead.rate) == (9, 12, 0.75), lead
    assert round(lead.low, 2) == 0.73 and round(lead.high, 2) == 0.78, (lead.low, lead.high)
    never = [0, 1, 2, 4]  # 000, 001, 010, 100
    assert lead.low == pytest.approx(c.probs[never, 1].min()) and lead.high == pytest.approx(c.probs[never, 1].max())
    assert not lead.split and lead.nearest == (("overall", 4),), lead.nearest
    assert a.key == c.key


def test_the_lead_names_each_rule_when_no_one_rule_explains_every_state():
    closest = {"uniform": 0, "overall": 3, "suffix": 1, "kneser_ney": 0}
    split = page.lead(RulesSummary(4, 300, 1, 0.6, 0.8, 10, 15, closest))
    assert split.split and split.nearest == (("overall", 3), ("suffix", 1)), "each rule with its states, in RULES order"
    assert split.partial, "4 weighed of 300 never-seen: the first of them"
    assert split.rate == pytest.approx(10 / 15)
    one = page.lead(RulesSummary(4, 4, 0, 0.6, 0.8, 10, 15, {**closest, "overall": 0, "suffix": 4}))
    assert not one.split and one.nearest == (("suffix", 4),) and not one.partial, one
    assert page.answer(a_chain(2, 1), np.ones((2, 2)), None).lead is None, "every state seen: no lead"


@pytest.mark.parametrize(
    "k,download,heatmap,too_big",
    [
        (5, True, False, False),
        (6, True, True, False),
        (8, True, True, False),
        (9, False, True, False),
        (12, False, True, False),
        (13, False, False, True),
    ],
)
def test_graph_tab_offers_a_download_and_a_heatmap_by_the_chain_size(k, download, heatmap, too_big):
    """V = 2: 32 states are drawn whole; up to 256 the graph is a download; 33..4096 get a heatmap; past it neither."""
    g = page.graph_tab(a_chain(2, k, step=7), fake_result({7: None}))
    assert (g.states, g.download, g.heatmap, g.too_big) == (2**k, download, heatmap, too_big), g
    assert g.losses_bits == pytest.approx((1.0, 0.5)) and g.step == 7, "losses in bits, the page's step marked"


def test_table_tab_compares_the_model_with_a_hand_computed_data_chain():
    V, k = 2, 1
    probs = np.array([[0.25, 0.75], [0.5, 0.5]])
    counts = np.array([[0, 2], [0, 0]])  # state 0 is followed by 1 twice; state 1 never seen
    key = page.ChainKey(GPTConfig(block_size=k), TrainConfig(), (0, 1, 0, 1), 3, 1.0)
    m = page.table_tab(page.Chain(key, probs, V, k), counts)
    cmp = m.vs_data
    assert list(cmp.visits) == [2, 0] and list(cmp.seen) == [True, False]
    assert np.allclose(cmp.data_probs[0], [0, 1]) and np.isnan(cmp.data_probs[1]).all(), "never seen: no data row"
    assert cmp.total_variation[0] == pytest.approx(0.25) and np.isnan(cmp.total_variation[1])
    assert cmp.kl_bits[0] == pytest.approx(math.log2(1 / 0.75)) and np.isnan(cmp.kl_bits[1]), "KL(data || model)"


def test_lengths_tab_counts_the_states_and_names_the_step():
    states, probs = [(0,), (1,), (0, 0), (0, 1)], np.full((4, 2), 0.5)
    m = page.lengths_tab(a_chain(2, 2, step=30, T=2.0), states, probs)
    assert (len(m.states), m.context, m.step, m.last, m.tempered) == (4, 2, 30, TrainConfig().steps, True), m


def test_sample_is_the_seeded_walk_from_the_data_first_state():
    c = a_chain(2, 2, tokens=(1, 0, 1, 1))
    m = page.sample_tab(c, 25, 7)
    assert m.start == (1, 0), "the data's first k tokens"
    assert m.generated == tuple(random_walk(c.probs, 25, 7, (1, 0))), "the same walk as core's random_walk"
    assert m.focus is None, "4 states: the whole chain is drawn"
    big = page.sample_tab(a_chain(2, 6), 40, 3)
    assert big.focus is not None and 0 < len(big.focus.nodes) <= 32, "past 32 states: only the walk's states"


def test_long_run_reads_the_most_visited_state_first():
    """A two-state chain staying in 0 with 0.9: stationary (5/6, 1/6) by the balance 0.1 pi0 = 0.5 pi1."""
    probs = np.array([[0.9, 0.1], [0.5, 0.5]])
    key = page.ChainKey(GPTConfig(block_size=1), TrainConfig(), (0, 1), 50, 1.0)
    m = page.long_run(page.Chain(key, probs, 2, 1), at_temperature(probs, 1.0), None)
    assert np.allclose(m.stationary, [5 / 6, 1 / 6]) and list(m.most_visited) == [0, 1], m.stationary
    h = lambda p: -p * math.log2(p) - (1 - p) * math.log2(1 - p)
    assert m.entropy_rate_bits == pytest.approx(5 / 6 * h(0.9) + 1 / 6 * h(0.5)), "sum pi_s H(P[s])"
    assert m.by_temperature is None and (m.temperature, m.step) == (1.0, 50)


def test_unseen_rows_back_off_to_the_longest_seen_ending():
    """The article's data: 000, 001, 010, 100 never occur; 000 and 100 end in 00 (never seen), then 0 (followed by 1
    twice). A GPT table sending 000 to 1 and 100 to 0: one agrees with its ending, the other does not."""
    probs = np.full((8, 2), 0.5)
    probs[0], probs[4], probs[1], probs[2] = [0.27, 0.73], [0.6, 0.4], [0.3, 0.7], [0.2, 0.8]
    key = page.ChainKey(GPTConfig(), TrainConfig(), ARTICLE.tokens, 50, 1.0)
    c = page.Chain(key, probs, 2, 3)
    e = explain(ARTICLE.tokens, 2, 3, probs)
    r = rules(e, ARTICLE.tokens)
    m = never.unseen(c, e, r, summarise(r, 4))
    assert [row.state for row in m.rows] == [(0, 0, 0), (0, 0, 1), (0, 1, 0), (1, 0, 0)]
    first = m.rows[0]
    assert first.arrows == ((1, 0.73), (0, 0.27)) and not first.more_arrows, "likeliest first"
    assert [(s.j, s.top) for s in first.suffixes] == [(2, ()), (1, ((1, 2),))], "00 never seen, 0 then 1 twice"
    assert first.longest == 1 and first.verdict == "yes"
    assert m.rows[3].verdict == "no", "100 goes to 0 though its ending 0 is followed by 1"
    a = m.agreement
    assert (a.states, a.never_seen, a.with_suffix, a.agreeing, a.without_suffix) == (8, 4, 4, 3, 0), a
    assert a.fraction == pytest.approx(0.75) and a.overall_choice == 1, "1 is the data's most frequent token"
    assert m.order[:4] == (0, 1, 2, 4) and sorted(m.order) == list(range(8)), "never-seen first, every state once"
    assert m.listed and m.uniform == 0.5 and not m.more_rows
    nearest = [min(r.distance, key=lambda rule: r.distance[rule][i]) for i in range(4)]  # ties: RULES order, as min keeps
    assert m.rules.closest == tuple(nearest)
    tv = [0.5 * np.abs(probs[s] - r.said[rule][i]).sum() for i, (s, rule) in enumerate(zip([0, 1, 2, 4], nearest, strict=True))]
    assert np.allclose(m.rules.distance, tv), "the nearest rule's total variation"
    assert np.allclose(m.rules.gpt, probs[[0, 1, 2, 4], m.rules.token])


def test_unseen_lists_at_most_three_arrows_and_four_counts_likeliest_first():
    """0 is followed by 1 three times, 2 twice, 3, 4 and 5 once; the never-seen 00 backs off to it."""
    tokens = (0, 1, 0, 1, 0, 1, 0, 2, 0, 2, 0, 3, 0, 4, 0, 5)
    V, k = 6, 2
    probs = np.full((V**k, V), 0.1)
    probs[:, 3] = 0.5
    e = explain(tokens, V, k, probs)
    r = rules(e, tokens)
    key = page.ChainKey(GPTConfig(block_size=k, vocab_size=V), TrainConfig(), tokens, 50, 1.0)
    m = never.unseen(page.Chain(key, probs, V, k), e, r, summarise(r, len(e.never_seen)))
    row = m.rows[0]
    assert row.state == (0, 0), row.state
    assert [tok for tok, _ in row.arrows] == [3, 0, 1] and row.more_arrows, "0.5 first, then the ties by token order"
    (suffix,) = row.suffixes
    assert suffix.j == 1 and suffix.top == ((1, 3), (2, 2), (3, 1), (4, 1)) and suffix.more, suffix
    assert row.verdict == "no", "the GPT's 3 against the ending's 1"


def test_attention_reads_even_or_sharp_against_an_even_spread():
    """Row i of an even head puts 1/(i+1) on each position up to i: gap 0, 'even'; a head on one position: 'sharp'."""
    k = 3
    even = np.tril(np.ones((k, k))) / np.arange(1, k + 1)[:, None]
    w = np.broadcast_to(even, (2, 2, k, k)).copy()
    c = a_chain(2, k, step=50)
    a = never.attention(c, (0, 0, 0), w)
    assert a.verdict == "even" and a.gap == pytest.approx(0) and a.newest == pytest.approx(1 / 3) and a.even == 1 / 3
    assert a.same_step, "step 50 of 50"
    w[0, 0, 2] = [1.0, 0.0, 0.0]
    sharp = never.attention(a_chain(2, k, step=10), (0, 0, 0), w)
    assert sharp.verdict == "sharp" and sharp.gap == pytest.approx(2 / 3) and not sharp.same_step
    assert sharp.newest == pytest.approx((3 * (1 / 3) + 0) / 4), "the mean of the last row's last weight"
    close = np.where(even > 0, even, 0.0)
    close[2] = [1 / 3 + 0.049, 1 / 3 - 0.049, 1 / 3]
    assert never.attention(c, (0, 0, 0), np.broadcast_to(close, (1, 1, k, k))).verdict == "even", "within 5%: even"


def test_many_heads_are_drawn_one_layer_at_a_time():
    few = page.ChainKey(GPTConfig(n_layer=4, n_head=4), TrainConfig(), (0, 1), 50)
    many = page.ChainKey(GPTConfig(n_layer=5, n_head=4), TrainConfig(), (0, 1), 50)
    w = np.zeros((1, 1, 3, 3))
    assert not never.attention(page.Chain(few, np.zeros((8, 2)), 2, 3), (0, 0, 0), w).one_layer, "16 heads: all drawn"
    assert never.attention(page.Chain(many, np.zeros((8, 2)), 2, 3), (0, 0, 0), w).one_layer, "20 heads: one layer"
    assert never.state_of(1, 2, 3) == (0, 0, 1) and never.state_of(6, 2, 3) == (1, 1, 0), "table order: the last token fastest"
