"""Where a chain's states sit when drawn, and what is written on it: legible by construction, at every size drawn.

What it is: the geometry of a drawn chain, in the canvas units of the renderer (a state's label is NODE_FONT
tall, in a monospace font). `ring` places the states in their order (a de Bruijn order for a whole chain: each
state slides into the next, so one of its arrows runs along the rim) on an ellipse of a given width-to-height
ratio, spaced so that no two state boxes overlap, with room around each box; `layouts` gives one ring per ratio
in RATIOS (the frame picks the one that draws the labels largest); `frame_height` is how tall a frame must be for
the labels to stay at least MIN_LABEL_PX on a phone; `labels_by_default` says whether every arrow is labelled
or only those of the state in focus; `loop_angle` points a self-loop away from the ring's centre at an angle
where the renderer draws the loop and its label on the same side. `state_look` and `arrow_look` are what a
drawn state and arrow look like: colours, border, width, label (every page draws them so, and the page's script
applies the same rules to every frame it plays: it receives these values, never its own).

What it is not: a renderer (`ui/graph.py` writes these numbers into vis-network's options) or the choice of the
states drawn (`core.babygpt.focus`).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

NODE_FONT = 14  # a state's label, canvas units (monospace)
EDGE_FONT = 13  # an arrow's label
CHAR_WIDTH = 0.6  # a monospace character's advance, in font sizes
BOX_MARGIN = 6  # text to box edge: a 12-px label makes a 24-px tall target (WCAG 2.5.8)
BOX_HEIGHT = NODE_FONT + 2 * BOX_MARGIN  # one line of text
GAP = 2 * BOX_MARGIN + 6  # room between two state boxes: vis-network's bounding boxes (a margin wider) 6 apart
LOOP_SIZE = 22  # a self-loop's radius (its centre sits on the box's border)
MIN_LABEL_PX = 12  # on screen: no label is drawn smaller
PHONE_FRAME_WIDTH = 350  # a 390-px phone's content column (16-px margins, the frame's borders)
PLAYER_HEIGHT = 110  # the player's bar under the graph on a phone: two rows (the controls, the loss curve)
LABELLED_ARROWS = 16  # up to this many arrows every arrow is labelled; past it only the state in focus's
SMALL_RING = 8  # up to this many states the ring keeps SMALL_RADIUS: room inside for every arrow's label
SMALL_RADIUS = 12 * EDGE_FONT
RATIOS = (0.45, 0.6, 0.8, 1.0, 1.25, 1.6)  # width / height of the rings offered to a frame
LOOP_LABEL = (9 * CHAR_WIDTH * EDGE_FONT, 2.4 * EDGE_FONT)  # a loop's label, two lines ('1 (45%)', 'data 50%')
_STEPS = 2_000  # points per turn of the ellipse when spacing the states


def box_width(chars: int) -> float:
    """A state box's width for a label of `chars` characters (its height is BOX_HEIGHT)."""
    return chars * CHAR_WIDTH * NODE_FONT + 2 * BOX_MARGIN


AGREEING = tuple(2 * math.pi * m / (2 * math.pi - 1) for m in range(6))  # see loop_angle


def _border(w: float, angle: float) -> tuple[float, float]:
    """Where a ray from a box's centre at `angle` (radians, y up) leaves the box: (dx, dy) with y down."""
    c, s = math.cos(angle), -math.sin(angle)
    t = min(w / 2 / abs(c) if abs(c) > 1e-9 else math.inf, BOX_HEIGHT / 2 / abs(s) if abs(s) > 1e-9 else math.inf)
    return c * t, s * t


def loop_label_box(x: float, y: float, w: float, angle: float) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a self-loop's label at a state (x, y) of width w: centred on the loop's far side,
    LOOP_SIZE beyond the loop's centre, which sits on the box's border (where the renderer puts both)."""
    bx, by = _border(w, angle)
    c, s = math.cos(angle), -math.sin(angle)
    cx, cy = x + bx + LOOP_SIZE * c, y + by + LOOP_SIZE * s
    return cx - LOOP_LABEL[0] / 2, cy - LOOP_LABEL[1] / 2, cx + LOOP_LABEL[0] / 2, cy + LOOP_LABEL[1] / 2


def loop_angle(x: float, y: float, w: float = 0.0, others: tuple[tuple[float, float], ...] = ()) -> float:
    """The angle (radians, y up) of a self-loop at (x, y): of the angles where the renderer draws the loop and its label
    on the same side, the one nearest to pointing away from the centre whose label clears its own box and the
    `others` (centres of boxes as wide as w).

    vis-network puts a loop at `angle` radians but its label at `angle` turns (`_pointOnCircle` multiplies by
    2 pi): the two agree at the six angles 2 pi m / (2 pi - 1), m = 0..5 (AGREEING), one every 57 degrees or so.
    """
    want = math.atan2(-y, x) % (2 * math.pi)
    by_nearness = sorted(AGREEING, key=lambda a: abs(math.remainder(a - want, 2 * math.pi)))

    def clear(a: float) -> bool:
        left, top, right, bottom = loop_label_box(x, y, w, a)
        return all(
            right <= ox - w / 2 - 2
            or left >= ox + w / 2 + 2
            or bottom <= oy - BOX_HEIGHT / 2 - 2
            or top >= oy + BOX_HEIGHT / 2 + 2
            for ox, oy in ((x, y), *others)
        )

    return next((a for a in by_nearness[:3] if clear(a)), by_nearness[0])


def _apart(a: tuple[float, float], b: tuple[float, float], cell: tuple[float, float]) -> float:
    """How far apart two boxes' centres are, in units of the least distance that keeps them (and a gap) apart."""
    return max(abs(a[0] - b[0]) / cell[0], abs(a[1] - b[1]) / cell[1])


def _place(n: int, w: tuple[float, float], rx: float, ry: float, spacing: float) -> list[tuple[float, float]]:
    """Up to n points along the ellipse from the top, clockwise, each `spacing` or more from the last (see _apart)."""
    pts = [(rx * math.sin(2 * math.pi * i / _STEPS), -ry * math.cos(2 * math.pi * i / _STEPS)) for i in range(_STEPS)]
    placed = [pts[0]]
    for p in pts[1:]:
        if len(placed) == n:
            break
        if _apart(p, placed[-1], w) >= spacing:
            placed.append(p)
    return placed


def _fits(n: int, w: tuple[float, float], rx: float, ry: float, spacing: float) -> list[tuple[float, float]] | None:
    placed = _place(n, w, rx, ry, spacing)
    if len(placed) < n or (n > 1 and _apart(placed[-1], placed[0], w) < spacing):
        return None
    if any(_apart(a, b, w) < 1.0 for i, a in enumerate(placed) for b in placed[i + 2 :]):  # across the ring too
        return None
    return placed


@dataclass(frozen=True)
class Ring:
    """States' centres (canvas units, y down) in the drawing order, their loops' angles, and the drawing's extent."""

    ratio: float  # the ellipse's width / height
    positions: tuple[tuple[float, float], ...]
    loops: tuple[float | None, ...]  # per state: its self-loop's angle (`loop_angle`), None without one
    width: float  # the drawing's extent, centred on (0, 0): boxes, self-loops and their labels
    height: float


def _extent(positions, loops, w: float, labelled: bool) -> tuple[float, float]:
    """Half the width and half the height of everything drawn: the boxes, each loop's circle (and its label, if labelled)."""
    x_half = y_half = 0.0
    rim = (LOOP_LABEL[0] / 2, LOOP_LABEL[1] / 2) if labelled else (0.0, 0.0)  # labels of arrows along the rim
    for (x, y), angle in zip(positions, loops, strict=True):
        x_half, y_half = max(x_half, abs(x) + w / 2 + rim[0]), max(y_half, abs(y) + BOX_HEIGHT / 2 + rim[1])
        if angle is None:
            continue
        bx, by = _border(w, angle)  # the loop's centre is on the box's border
        cx, cy = x + bx + LOOP_SIZE * math.cos(angle), y + by - LOOP_SIZE * math.sin(angle)
        x_half, y_half = max(x_half, abs(cx) + LOOP_SIZE), max(y_half, abs(cy) + LOOP_SIZE)
        if labelled:
            left, top, right, bottom = loop_label_box(x, y, w, angle)
            x_half, y_half = max(x_half, abs(left), abs(right)), max(y_half, abs(top), abs(bottom))
    return x_half, y_half


@functools.lru_cache(maxsize=512)
def ring(n: int, chars: int, ratio: float = 1.0, loops: tuple[int, ...] = (), labelled: bool = True) -> Ring:
    """n state boxes of `chars`-character labels on an ellipse of width / height `ratio`, none overlapping;
    `loops`: the positions in the order of the states that have a self-loop; `labelled`: every arrow is labelled
    (`labels_by_default`), so the loops' labels need room too.

    The ellipse is the smallest (to 1%) on which n boxes fit one after another with a gap, never smaller than
    the ring of SMALL_RING states; the states are then spread evenly over it (as far apart as the ellipse allows).
    """
    w = box_width(chars)
    small = SMALL_RADIUS
    size = lambda r: (r * math.sqrt(ratio), r / math.sqrt(ratio))
    if n <= 1:
        positions = [(0.0, 0.0)] * n
    else:
        cell = (w + GAP, BOX_HEIGHT + GAP)  # the room a box takes on the ring
        if labelled:  # and the labels of the arrows between neighbours
            cell = (w + GAP + LOOP_LABEL[0] / 2, BOX_HEIGHT + GAP + LOOP_LABEL[1])
        lo, hi = 0.0, max(small, cell[0] * n)  # hi always fits: the perimeter is past n cells
        while _fits(n, cell, *size(hi), 1.0) is None:
            hi *= 1.5
        while hi - lo > 0.01 * hi:
            mid = (lo + hi) / 2
            lo, hi = (lo, mid) if _fits(n, cell, *size(mid), 1.0) is not None else (mid, hi)
        r = max(hi, small if n <= SMALL_RING else 0.0)
        lo_s, hi_s = 1.0, 1.25
        while _fits(n, cell, *size(r), hi_s) is not None:
            hi_s *= 1.25
        while hi_s - lo_s > 0.005:  # the widest even spacing: the states spread over the whole ellipse
            mid = (lo_s + hi_s) / 2
            lo_s, hi_s = (mid, hi_s) if _fits(n, cell, *size(r), mid) is not None else (lo_s, mid)
        positions = _fits(n, cell, *size(r), lo_s)
    positions = [(round(x, 1), round(y, 1)) for x, y in positions]
    others = lambda i: tuple(p for j, p in enumerate(positions) if j != i)
    angles = tuple(loop_angle(*positions[i], w, others(i)) if i in loops else None for i in range(n))
    x_half, y_half = _extent(positions, angles, w, labelled)
    pad = BOX_MARGIN + 4  # vis-network's bounding box of a state is a margin wider than its box; a little air
    return Ring(ratio, tuple(positions), angles, round(2 * (x_half + pad), 1), round(2 * (y_half + pad), 1))


def layouts(n: int, chars: int, loops: tuple[int, ...] = (), labelled: bool = True) -> tuple[Ring, ...]:
    """One ring per ratio in RATIOS: the frame draws the one whose labels come out largest."""
    return tuple(ring(n, chars, r, loops, labelled) for r in RATIOS)


def edge_font(labelled: bool) -> int:
    """An arrow label's size: a little smaller than a state's where every arrow is labelled, else the same."""
    return EDGE_FONT if labelled else NODE_FONT


def frame_height(
    n: int, chars: int, loops: tuple[int, ...] = (), labelled: bool = True, least: int = 560, most: int = 900
) -> int:
    """How tall (px, the player's bar included) a frame must be so that on a phone (PHONE_FRAME_WIDTH wide) one of
    the rings draws every label at least MIN_LABEL_PX: at least `least`, at most `most`."""
    scale = MIN_LABEL_PX / min(NODE_FONT, edge_font(labelled))  # the least screen pixels per canvas unit
    heights = [
        math.ceil(r.height * scale) + PLAYER_HEIGHT
        for r in layouts(n, chars, loops, labelled)
        if r.width * scale <= PHONE_FRAME_WIDTH
    ]
    return min(max(least, min(heights, default=most)), most)


# How far the page bows an arrow clear of a label or a state box (ui/graph.js's untangle): canvas units of room beside
# a label and beside a box, and the most an arrow bows (vis-network's roundness).
BOW_LABEL_ROOM, BOW_BOX_ROOM, MOST_BOW = 4, 8, 0.8
# Marks of attention: a state in focus draws its border this wide; the player's current state and arrow these widths.
FOCUS_BORDER, WALK_BORDER, WALK_WIDER, WALK_LEAST = 4, 6, 4, 2


# Each colour means one thing on every page: blue seen, red never seen, white with a dashed border an end point
# outside the view (the player pales a state it is unsure of, never below PALEST of its colour: still blue or red).
SEEN_COLOR, UNSEEN_COLOR, END_COLOR = "#4C78A8", "#E45756", "#FFFFFF"
BORDER, SURE_BORDER = "#333333", "#111111"  # a state's border; a thicker, darker one where the data goes on one way
EDGE_COLOR, EDGE_LIT = "#888888", "#555555"  # an arrow; one pointed at or selected
FOCUS_COLOR = "#F58518"  # the state in focus, its arrows and the player's current step: one orange everywhere
PALEST = 0.35  # the player pales a state by its sureness down to this share of its colour


@dataclass(frozen=True)
class StateLook:
    """How one drawn state looks."""

    background: str
    border: str
    border_width: int  # SURE_WIDTH where the data always goes on the same way from it, else 1
    dashed: bool  # never seen in the data, or an end point outside the view
    text: str  # the label's colour


SURE_WIDTH = 4


def state_look(seen: bool, end: bool = False, deterministic: bool = False) -> StateLook:
    """A state's look by its role: seen (blue), never seen (red, dashed), an end point (white, dashed)."""
    background = END_COLOR if end else SEEN_COLOR if seen else UNSEEN_COLOR
    border = SURE_BORDER if deterministic else BORDER
    return StateLook(background, border, SURE_WIDTH if deterministic else 1, not seen or end, BORDER if end else "#ffffff")


@dataclass(frozen=True)
class ArrowLook:
    """How one drawn arrow looks: its label ('' where arrows are labelled only in focus), width and percent."""

    label: str  # core.babygpt.chain.edge_label, e.g. '1 (79%)'
    pct: int  # its probability in whole percent, as the label says it
    data: float | None  # the data's share of this arrow, written under the label when positive, else None
    width: float


def arrow_look(label: str, p: float, data_p: float | None, labelled: bool) -> ArrowLook:
    """An arrow's look: width by probability (`edge_width`), its label when labelled, the data's share when positive."""
    return ArrowLook(label if labelled else "", int(f"{p * 100:.0f}"), data_p or None, edge_width(p, labelled))


def edge_width(p: float, labelled: bool) -> float:
    """An arrow's width for its probability p: 1 + 7p on a small chain; 1 + 4p on a big one, where arrows run close."""
    return 1 + (7 if labelled else 4) * p


def arrow_head(labelled: bool) -> float:
    """An arrowhead's size (vis-network's scaleFactor): smaller on a big chain, where it would cover a neighbour's label."""
    return 0.6 if labelled else 0.4


def labels_by_default(n_arrows: int) -> bool:
    """Whether every arrow is labelled (a small chain), or only the arrows of the state in focus."""
    return n_arrows <= LABELLED_ARROWS
