"""The drawn chain's geometry (core.babygpt.scene): no two states overlap, loops and their labels clear, frames tall enough.

The references are plain: box arithmetic written out here, and vis-network's own formulas for where a loop and its
label go (its `_pointOnCircle` reads an angle as turns)."""

from __future__ import annotations

import itertools
import math

import pytest

from core.babygpt import scene
from core.babygpt.focus import FOCUS_LIMIT, FULL_GRAPH_LIMIT


def boxes_apart(a, b, w) -> bool:
    return abs(a[0] - b[0]) >= w + scene.GAP - 0.2 or abs(a[1] - b[1]) >= scene.BOX_HEIGHT + scene.GAP - 0.2


@pytest.mark.parametrize("n", [2, 3, 4, 8, 9, 16, 25, 27, 32, FOCUS_LIMIT])
@pytest.mark.parametrize("chars", [1, 2, 5, 8])
@pytest.mark.parametrize("labelled", [True, False])
def test_no_two_states_overlap_on_any_ring(n, chars, labelled):
    w = scene.box_width(chars)
    for r in scene.layouts(n, chars, (0,), labelled):
        assert len(r.positions) == n
        for a, b in itertools.combinations(r.positions, 2):
            assert boxes_apart(a, b, w), (r.ratio, a, b)
        # the extent holds every box
        assert all(
            abs(x) + w / 2 <= r.width / 2 + 0.1 and abs(y) + scene.BOX_HEIGHT / 2 <= r.height / 2 + 0.1 for x, y in r.positions
        )


def test_the_ring_follows_the_frame_shape():
    """A wide ring is wider than tall, a tall one taller than wide (the frame picks the one that draws largest)."""
    wide, tall = scene.ring(32, 5, 1.6), scene.ring(32, 5, 0.45)
    assert wide.width > wide.height and tall.height > tall.width


def test_loop_and_label_agree_only_at_the_six_angles():
    """vis-network draws the loop at `angle` radians and its label at `angle` turns: the same side at AGREEING only."""
    for a in scene.AGREEING:
        assert math.remainder(2 * math.pi * a - a, 2 * math.pi) == pytest.approx(0, abs=1e-9)
    assert math.remainder(2 * math.pi * 0.8 - 0.8, 2 * math.pi) != pytest.approx(0, abs=1e-3), "vis's default 0.8 does not"


@pytest.mark.parametrize("n,chars", [(2, 1), (4, 2), (8, 3), (16, 4), (32, 5)])
def test_a_loop_points_outwards_and_its_label_clears_its_state(n, chars):
    w = scene.box_width(chars)
    loops = (0, n // 2)
    for r in scene.layouts(n, chars, loops, True):
        for i in loops:
            (x, y), angle = r.positions[i], r.loops[i]
            assert angle in scene.AGREEING
            outward = math.atan2(-y, x)
            assert abs(math.remainder(angle - outward, 2 * math.pi)) < math.pi / 2 + 0.2, "away from the centre"
            left, top, right, bottom = scene.loop_label_box(x, y, w, angle)
            clear = (
                right <= x - w / 2 or left >= x + w / 2 or bottom <= y - scene.BOX_HEIGHT / 2 or top >= y + scene.BOX_HEIGHT / 2
            )
            assert clear, (r.ratio, i, angle)
            assert abs(left) <= r.width / 2 + 0.1 and abs(right) <= r.width / 2 + 0.1, "the label is inside the drawing"
        assert [a is not None for a in r.loops] == [i in loops for i in range(n)]


def whole_chains():
    """Every (V, k) whose whole chain a page draws: V^k <= FULL_GRAPH_LIMIT, k <= 16."""
    return [(V, k) for V in range(2, FULL_GRAPH_LIMIT + 1) for k in range(1, 6) if V**k <= FULL_GRAPH_LIMIT]


@pytest.mark.parametrize("V,k", whole_chains())
def test_every_whole_chain_gets_a_frame_tall_enough_for_legible_labels_on_a_phone(V, k):
    """On a 390-px phone some ring fits the column with every label >= 12 px, in the frame the page asks for."""
    n, arrows = V**k, V ** (k + 1)
    labelled = scene.labels_by_default(arrows)
    loops = (0, n - 1)  # 0...0 and its last state slide into themselves
    height = scene.frame_height(n, k, loops, labelled)
    assert height < 900, "never the cap: the frame is as tall as the chain needs"
    scale = scene.MIN_LABEL_PX / min(scene.NODE_FONT, scene.edge_font(labelled))
    fitting = [
        r
        for r in scene.layouts(n, k, loops, labelled)
        if r.width * scale <= scene.PHONE_FRAME_WIDTH and r.height * scale + scene.PLAYER_HEIGHT <= height
    ]
    assert fitting, (V, k, height)


def test_every_arrow_is_labelled_on_a_small_chain_only():
    assert scene.labels_by_default(16) and not scene.labels_by_default(17)
    assert scene.edge_font(True) < scene.edge_font(False) == scene.NODE_FONT


def test_each_role_has_its_look_and_an_arrow_says_what_its_label_says():
    from core.babygpt.chain import edge_label

    assert scene.state_look(True).background == scene.SEEN_COLOR and not scene.state_look(True).dashed
    never = scene.state_look(False)
    assert never.background == scene.UNSEEN_COLOR and never.dashed, "never seen: red, dashed"
    end = scene.state_look(True, end=True)
    assert end.background == scene.END_COLOR and end.dashed and end.text != "#ffffff", "an end point: white, dashed"
    assert scene.state_look(True, deterministic=True).border_width > scene.state_look(True).border_width
    for p in (0.0, 0.125, 0.5, 0.795, 1.0):
        look = scene.arrow_look(edge_label("1", p), p, 0.0, labelled=True)
        assert look.label == f"1 ({look.pct}%)", "the percent the page fills in is the label's own"
        assert look.data is None, "no data line for a share of 0"
        assert look.width == scene.edge_width(p, True)
    assert scene.arrow_look("1 (50%)", 0.5, 0.5, labelled=False) == scene.ArrowLook("", 50, 0.5, scene.edge_width(0.5, False))
