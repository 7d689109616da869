"""Playing the training and a walk in the graph, in a real browser: frames drawn in the page, no rerun while playing.

The expected numbers come from the article's model trained here in the test (the same configuration the
page trains), never from the page itself. Screenshots of the animation land in tests/artifacts/.
"""

from __future__ import annotations

import time
import urllib.parse

import pytest

from core.babygpt.chain import transition_graph
from core.babygpt.data import ARTICLE_SEQUENCE, parse_digits, random_walk
from core.babygpt.train import TrainConfig, train
from core.model import GPTConfig
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_browser import wait_ready

LABELS = "() => Object.fromEntries(edges.get().map(e => [e.from + '>' + e.to, e.label.split('\\n')[0]]))"
# A big chain labels only the arrows of the state in focus: what moves on every arrow is its width (1 + 4p)
WIDTHS = "() => Object.fromEntries(edges.get().map(e => [e.from + '>' + e.to, e.width]))"


@pytest.fixture(scope="module")
def article():
    seq = parse_digits(ARTICLE_SEQUENCE, 2)
    return seq, train(GPTConfig(), TrainConfig(), seq.tokens)


def expected_labels(table) -> dict[str, str]:
    """Every arrow's label 't (p%)' as the graph of that table writes it, by (from, to)."""
    return {f"{u}>{v}": d["label"] for u, v, d in transition_graph(table, 2, 3).edges(data=True)}


def player_frame(page):
    """The frame whose graph has a player, once it is drawn."""
    page.wait_for_selector("iframe", state="attached")
    deadline = time.time() + 60
    while time.time() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate("() => typeof player !== 'undefined' && typeof network !== 'undefined'"):
                    return frame
            except Exception:  # a frame navigating away
                pass
        page.wait_for_timeout(200)
    raise AssertionError("no graph with a player on the page")


def count_sent(page) -> list:
    """Every websocket frame the page sends from now on (a rerun is a BackMsg sent this way)."""
    sent: list = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    return sent


def test_play_on_the_overview_moves_every_arrow_without_a_rerun(page, server, article):
    seq, run = article
    sent = count_sent(page)
    page.goto(server)
    wait_ready(page)
    frame = player_frame(page)
    assert frame.evaluate("() => player.step()") == 50, "opens on the last step, as the page's slider"
    assert frame.evaluate(LABELS) == expected_labels(run.snapshots[50])
    before = len(sent)
    frame.click(".play-toggle")
    page.wait_for_timeout(1200)
    first, first_step = frame.evaluate(LABELS), frame.evaluate("() => player.step()")
    page.screenshot(path=str(ARTIFACTS / "play_overview_desktop_1.png"))
    page.wait_for_timeout(1500)
    second, second_step = frame.evaluate(LABELS), frame.evaluate("() => player.step()")
    page.screenshot(path=str(ARTIFACTS / "play_overview_desktop_2.png"))
    assert 0 <= first_step < second_step < 50 and first != second, (first_step, second_step)
    frame.wait_for_function("() => !player.playing() && !player.moving()", timeout=60_000)  # the last tween ended
    assert frame.evaluate("() => player.step()") == 50
    assert frame.evaluate(LABELS) == expected_labels(run.snapshots[50]), "the end: the last snapshot's arrows"
    assert frame.inner_text(".play-status") == "step 50 / 50"
    assert len(sent) == before, f"the browser sent {len(sent) - before} messages while playing: no rerun per frame"
    assert page.locator('[data-testid="stApp"]').get_attribute("data-test-script-state") == "notRunning"


def test_a_paused_step_is_drawn_kept_in_the_address_and_reopened(page, server, article):
    seq, run = article
    page.goto(server)
    wait_ready(page)
    frame = player_frame(page)
    frame.click(".play-toggle")
    page.wait_for_timeout(2000)
    frame.click(".play-toggle")
    frame.wait_for_function("() => !player.moving()")
    step = frame.evaluate("() => player.step()")
    assert 0 < step < 50
    assert frame.inner_text(".play-status") == f"step {step} / 50", "the step shown is the step drawn"
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('step') === '{step}'", timeout=20_000)
    wait_ready(page)
    frame = player_frame(page)
    assert frame.evaluate("() => player.step()") == step and not frame.evaluate("() => player.playing()")
    assert frame.evaluate(LABELS) == expected_labels(run.snapshots[step]), "the page's graph is drawn at the paused step"
    p = run.snapshots[step][0b101, 1]
    assert page.locator('[data-testid="stMetricValue"]').first.inner_text() == f"{p:.0%}", "the metrics follow the step"
    url = page.url
    assert urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["step"] == [str(step)]
    page.goto(url)  # the link opens on that step
    wait_ready(page)
    assert player_frame(page).evaluate("() => player.step()") == step


def test_reduced_motion_steps_without_tweening_and_the_keyboard_drives_it(browser, server, article):
    seq, run = article
    context = browser.new_context(viewport={"width": 1280, "height": 1100}, reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{server}/?step=0")
        wait_ready(page)
        frame = player_frame(page)
        assert frame.evaluate("() => player.reduced") is True and frame.evaluate("() => player.step()") == 0
        frame.locator(".play-fwd").focus()
        page.keyboard.press("ArrowRight")
        assert frame.evaluate("() => player.step()") == 1
        assert frame.evaluate(LABELS) == expected_labels(run.snapshots[1]), "at once: no tween with reduced motion"
        ring = frame.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert ring == "solid", "a visible focus ring on the focused control"
        page.wait_for_function("() => new URLSearchParams(location.search).get('step') === '1'", timeout=20_000)
        wait_ready(page)  # the stopped step went to the page once: the graph is drawn again at step 1
        page.wait_for_timeout(500)
        frame = player_frame(page)
        assert frame.evaluate("() => player.step()") == 1
        assert frame.evaluate("() => document.activeElement.classList.contains('play-fwd')"), "the keyboard stays put"
        frame.click("#mynetwork", position={"x": 20, "y": 20})  # the frame's page has the keyboard, no button
        page.keyboard.press("Space")
        page.wait_for_timeout(1500)
        assert frame.evaluate("() => player.playing()"), "space plays"
        page.keyboard.press("Space")
        step = frame.evaluate("() => player.step()")
        assert not frame.evaluate("() => player.playing()") and 1 < step < 50, "space pauses"
        assert frame.evaluate(LABELS) == expected_labels(run.snapshots[step]), "each step drawn exactly, at once"
    finally:
        context.close()


def test_a_walk_lights_its_state_and_arrow_while_the_text_grows(page, server, article):
    seq, run = article
    page.goto(server)
    wait_ready(page)
    frame = player_frame(page)
    frame.get_by_role("radio", name="A walk").click()
    tokens = random_walk(run.snapshots[50], 60, 0, seq.tokens[:3])  # the sampler, seed 0, from the data's first state
    state = 0b111
    for i in range(1, 6):
        frame.click(".play-fwd")
        state = (state * 2) % 8 + tokens[i - 1]
        assert frame.inner_text(".play-text") == "".join(str(t) for t in tokens[:i])
        lit = frame.evaluate("() => nodes.get().filter(n => n.borderWidth === 6).map(n => n.id)")
        assert lit == [state], f"after {i} tokens the walk is in {state:03b}"
        taken = frame.evaluate("() => edges.get().filter(e => e.color && e.color.color === '#F58518').map(e => [e.from, e.to])")
        assert taken == [[state, (state * 2) % 8 + tokens[i]]], "the arrow it takes next"
    page.screenshot(path=str(ARTIFACTS / "play_walk_desktop.png"))


def test_phone_controls_fit_a_thumb(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(server)
        wait_ready(page)
        frame = player_frame(page)
        sizes = frame.evaluate(
            "() => [...document.querySelectorAll('.play-bar button, .play-bar select')].map(b => b.getBoundingClientRect())"
            ".map(r => [r.width, r.height, r.right])"
        )
        width = frame.evaluate("() => document.body.clientWidth")
        assert sizes and all(w >= 44 and h >= 44 and right <= width + 1 for w, h, right in sizes), sizes
        frame.locator(".play-toggle").scroll_into_view_if_needed()
        frame.tap(".play-toggle")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(ARTIFACTS / "play_overview_phone_1.png"))
        page.wait_for_timeout(1500)
        page.screenshot(path=str(ARTIFACTS / "play_overview_phone_2.png"))
        assert frame.evaluate("() => player.playing() || player.step() === 50")
    finally:
        context.close()


def test_train_explore_plays_and_its_sample_tab_plays_the_samplers_walk(page, server):
    page.goto(f"{server}/train_explore?tab=sample&sample_seed=3")
    wait_ready(page)
    frame = player_frame(page)
    assert frame.evaluate("() => player.mode()") == "walk"
    shown = page.locator('[data-testid="stCode"]').first.inner_text().strip()
    for _ in range(4):
        frame.click(".play-fwd")
    assert frame.inner_text(".play-text") == shown[:4], "the walk played is the sample shown above it"
    page.goto(f"{server}/train_explore")
    wait_ready(page)
    frame = player_frame(page)
    assert frame.evaluate("() => player.mode()") == "training" and frame.evaluate("() => player.step()") == 50
    frame.click(".play-back")
    page.wait_for_function("() => new URLSearchParams(location.search).get('step') === '49'", timeout=20_000)
    wait_ready(page)
    assert page.get_by_role("slider").first.get_attribute("aria-valuetext") in ("49", None)


def test_a_focused_view_plays_the_same_way(page, server):
    """'hello world' with k = 2: 64 states, a focused view of at most 40, played from step 0 without a rerun."""
    sent = count_sent(page)
    page.goto(f"{server}/train_explore?source=text&text=hello%20world&k=2&step=0")
    wait_ready(page)
    frame = player_frame(page)
    assert frame.evaluate("() => nodes.length") <= 40 and frame.evaluate("() => player.step()") == 0
    start, before = frame.evaluate(WIDTHS), len(sent)
    assert before > 0, "the counter sees the page's messages"
    frame.click(".play-toggle")
    page.wait_for_timeout(2000)
    frame.click(".play-toggle")
    frame.wait_for_function("() => !player.moving()")
    step = frame.evaluate("() => player.step()")
    assert step > 0 and frame.evaluate(WIDTHS) != start
    assert frame.inner_text(".play-status") == f"step {step} / 50"
    assert len(sent) == before, "nothing sent while playing"
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('step') === '{step}'", timeout=20_000)
    assert len(sent) > before, "once stopped, the step goes to the page (one rerun)"


def test_space_plays_from_any_control_and_the_label_keeps_up(page, server):
    page.goto(f"{server}/?step=10")
    wait_ready(page)
    frame = player_frame(page)
    frame.locator(".play-back").click()  # focus on step-back: one step back, then space must play, not step again
    assert frame.evaluate("() => player.step()") == 9
    page.keyboard.press("Space")
    page.wait_for_timeout(300)
    assert frame.evaluate("() => player.playing()"), "space plays with the focus on step-back"
    assert frame.evaluate("() => player.step()") >= 9, "space did not press step-back again"
    # While playing, sample the label and the frame being drawn: the label names the step the arrows are nearer,
    # so it differs from the frame being drawn towards for under half of each transition (before: 0.8 of it).
    differ = frame.evaluate(
        """async () => {
          let differ = 0, n = 0;
          while (n < 80 && player.playing()) {
            const label = Number(document.querySelector('.play-status').dataset.step);
            if (player.moving()) { n += 1; if (label !== player.step()) differ += 1; }
            await new Promise(r => setTimeout(r, 17 + Math.random() * 40));
          }
          return n ? differ / n : -1;
        }"""
    )
    assert 0 <= differ < 0.65, differ
    page.keyboard.press("Space")
    assert not frame.evaluate("() => player.playing()"), "space pauses"
