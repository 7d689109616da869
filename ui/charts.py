"""The BabyGPT pages' charts: one function from core data to a plotly figure (the real-text pages keep theirs in their views).

What it is: the loss curve, the transition-table heatmap, the context sweep, the seed spread,
the state-space growth and the home-computer comparison. Pages call these and display them.

What it is not: a place that computes numbers (`core` does) or knows about streamlit. Titles and
legends are in the language of the script run (`ui.i18n`): never cache a figure across sessions.
"""

from __future__ import annotations

import html
import math

import numpy as np
import plotly.graph_objects as go

from core.babygpt import scene
from core.babygpt.compare import ChainRow, SeedSummary
from core.symbols import visible
from ui.i18n import t

SEEN_COLOR, ACCENT = scene.SEEN_COLOR, scene.FOCUS_COLOR  # the graph's blue and orange, meaning the same here
TOP_LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}  # above the plot: narrow charts keep their width

# Every log axis labels the powers of ten only (1, 10, 10², 10³, ...): plotly's default labels the 2s and 5s
# between them too once an axis spans few decades, which reads as "2, 3" above 100k on a narrow chart.
LOG_AXIS = {"type": "log", "dtick": 1, "exponentformat": "power"}

# plotly's options for every chart, passed by the pages: st.plotly_chart(fig, key=..., config=PLOTLY_CONFIG).
# No mode bar (plotly's toolbar of zoom / pan / download buttons): on a phone a tap shows it over the
# legend above the plot. Dragging still zooms, a double-click resets the view, and Streamlit's own
# toolbar above each chart keeps full screen.
PLOTLY_CONFIG = {"displayModeBar": False}


def decades(values) -> list[int] | None:
    """A log axis's range in whole powers of ten around the positive values: a labelled power at each end (None: auto)."""
    logs = [math.log10(v) for v in values if v > 0]
    if not logs:
        return None
    low, high = math.floor(min(logs)), math.ceil(max(logs))
    return [low, max(high, low + 1)]


def plain(text: str) -> str:
    """A user's symbol or state as chart text: plotly reads <b>, <a href=...> and &...; in labels, so those are escaped."""
    return html.escape(text, quote=False)


def heatmap(probs: np.ndarray, labels: list[str], symbols: list[str], title: str) -> go.Figure:
    """States down, next tokens across, colour = probability: for chains too big to draw."""
    fig = go.Figure(
        go.Heatmap(
            z=probs,
            x=[t("charts.next", symbol=plain(visible(s))) for s in symbols],
            y=[plain(label) for label in labels],
            zmin=0,
            zmax=1,
            colorscale="Blues",
            colorbar={"title": "P"},
        )
    )
    fig.update_layout(title=title, height=min(900, 120 + 12 * len(labels)), yaxis={"autorange": "reversed", "type": "category"})
    return fig


def loss_curve(losses_bits: list[float]) -> go.Figure:
    """Cross-entropy in bits per token at every training step. The same figure at every step and temperature: the
    drawn step is marked on the player's curve under the graph, so a step's notch leaves this chart as it is (a
    changed figure is drawn again, 0.05 s of every notch in Chromium: benchmarks/bench_serve.py)."""
    fig = go.Figure(go.Scatter(x=list(range(len(losses_bits))), y=losses_bits, mode="lines+markers", name=t("charts.loss")))
    fig.update_layout(xaxis_title=t("charts.step"), yaxis_title=t("charts.loss_axis"), height=300, margin={"t": 30})
    return fig


def sweep_losses(rows: list[ChainRow]) -> go.Figure:
    """Each context's training curve: whether the step budget let it finish learning."""
    fig = go.Figure()
    for r in rows:
        fig.add_trace(go.Scatter(y=list(r.losses_bits), name=f"k = {r.context}", mode="lines"))
    fig.update_layout(
        xaxis_title=t("charts.step"), yaxis_title=t("charts.loss_axis"), height=340, margin={"t": 20}, legend=TOP_LEGEND
    )
    return fig


def sweep_entropy(rows: list[ChainRow]) -> go.Figure:
    """The data's H(next | k tokens) and the model's final loss against k."""
    ks = [r.context for r in rows]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(x=ks, y=[r.conditional_entropy_bits for r in rows], name=t("charts.data_entropy"), mode="lines+markers")
    )
    fig.add_trace(go.Scatter(x=ks, y=[r.final_loss_bits for r in rows], name=t("charts.model_loss"), mode="lines+markers"))
    fig.update_layout(
        xaxis_title=t("charts.context"), yaxis_title=t("charts.bits_per_token"), height=340, margin={"t": 20}, legend=TOP_LEGEND
    )
    return fig


def sweep_states(rows: list[ChainRow]) -> go.Figure:
    """Possible states V^k against the states the data visits, on a log scale."""
    ks = [r.context for r in rows]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=ks, y=[r.states for r in rows], name=t("charts.states"), mode="lines+markers"))
    fig.add_trace(go.Scatter(x=ks, y=[r.observed_states for r in rows], name=t("charts.states_in_data"), mode="lines+markers"))
    fig.update_layout(
        xaxis_title=t("charts.context"),
        yaxis={
            **LOG_AXIS,
            "title": t("charts.states_log"),
            "range": decades([n for r in rows for n in (r.states, r.observed_states)]),
        },
        height=340,
        margin={"t": 20},
        legend=TOP_LEGEND,
    )
    return fig


def seed_spread(summary: SeedSummary, labels: list[str], symbol: str) -> go.Figure:
    """One box per state: P(next = symbol) over the seeds."""
    fig = go.Figure()
    for s, lab in enumerate(labels):
        fig.add_trace(go.Box(y=summary.values[:, s], name=plain(lab), boxpoints="all", jitter=0.3, showlegend=False))
    fig.update_layout(
        xaxis={"type": "category", "title": t("charts.state")},
        yaxis_title=t("charts.p_next", symbol=plain(symbol)),
        yaxis_range=[0, 1],
        height=380,
        margin={"t": 20},
    )
    return fig


def home_computers(presets: list[dict], claims: list[dict], machines: dict[str, tuple[int, str]]) -> go.Figure:
    """Bytes in one state of each real model, the article's own figures, and each machine's RAM as a line.

    Horizontal bars: the model names sit on the y axis at their full length, as legible at 390 px wide as at 1440.
    """
    names = [r["model"] for r in presets]
    fig = go.Figure(
        go.Bar(
            y=names,
            x=[r["bytes_per_state"] for r in presets],
            orientation="h",
            name=t("charts.one_state"),
            marker_color=SEEN_COLOR,
        )
    )
    fig.add_trace(
        go.Scatter(
            y=[c["published_model"] for c in claims],
            x=[c["article_claim_bytes"] for c in claims],
            mode="markers",
            name=t("charts.article_figure"),
            marker={"symbol": "diamond", "size": 13, "color": ACCENT},
        )
    )
    for (name, (ram, _note)), dash in zip(machines.items(), ["dot", "dash", "dashdot"], strict=True):
        legend = t(f"presets.machine.{name}")  # the machine and its note
        fig.add_trace(go.Scatter(y=names, x=[ram] * len(names), mode="lines", name=legend, line={"dash": dash}))
    values = [r["bytes_per_state"] for r in presets] + [c["article_claim_bytes"] for c in claims]
    values += [ram for ram, _note in machines.values()]
    fig.update_layout(
        xaxis={**LOG_AXIS, "title": t("charts.bytes_log"), "range": decades(values), "automargin": True},
        yaxis={
            "type": "category",
            "autorange": "reversed",  # the first model on top
            "automargin": True,
            "tickvals": names,
            "ticktext": ["\u00a0" + n for n in names],  # a leading space: a 'g' reaches past its box at the edge
        },
        height=200 + 30 * len(names),
        margin={"t": 20, "r": 20},  # room for the last power of ten, centred on the plot's right edge
        legend=TOP_LEGEND,  # below the plot it would sit on the axis title
    )
    return fig


def stationary_bars(labels: list[str], pi: np.ndarray, order: np.ndarray) -> go.Figure:
    """The stationary probability of the given states, as bars with the states as categories."""
    fig = go.Figure(go.Bar(x=[plain(labels[i]) for i in order], y=pi[order], marker_color=SEEN_COLOR))
    fig.update_layout(xaxis={"type": "category", "title": t("charts.state")}, yaxis_title="π", height=320, margin={"t": 20})
    return fig


PLOTLY_CONFIG = {"displayModeBar": False}  # no mode bar: on a phone it covers the legend (pass as st.plotly_chart(config=...))


T_TICKS = (0.1, 0.2, 0.5, 1, 2, 5)  # a log axis of T labelled only at these


def whole_step_ticks(most: float, n: int = 5) -> int:
    """A whole number of steps between the mixing-time ticks: about n ticks up to `most`, never a fraction."""
    return max(1, math.ceil(most / n))


def temperature_curve(points, current: float) -> go.Figure:
    """Entropy rate (left axis) and mixing time (right axis) against the temperature T (`core.babygpt.mixing`),
    the current T marked."""
    ts = [p.temperature for p in points]
    fig = go.Figure(go.Scatter(x=ts, y=[p.entropy_rate_bits for p in points], name=t("train.entropy_rate"), mode="lines+markers"))
    mixes = [(p.temperature, p.mixing.steps) for p in points if p.mixing.steps is not None]
    if mixes:
        fig.add_trace(
            go.Scatter(
                x=[x for x, _ in mixes], y=[y for _, y in mixes], name=t("charts.mixing_steps"), mode="lines+markers", yaxis="y2"
            )
        )
    ticks = [x for x in T_TICKS if min(ts) <= x <= max(ts)]
    fig.add_vline(x=current, line_dash="dot", line_color="#888")
    # (an annotation on a log axis is placed by log10 of its value; a vline's own annotation would not be)
    fig.add_annotation(
        x=math.log10(current), y=1, yref="paper", text=t("charts.current_T", T=current), showarrow=False, xanchor="left"
    )
    most = max((y for _, y in mixes), default=1)
    fig.update_layout(
        xaxis={
            "title": t("charts.temperature"),
            "type": "log",
            "range": [math.log10(min(ts)) - 0.05, math.log10(max(ts)) + 0.05],
            "tickvals": ticks,
            "ticktext": [f"{x:g}" for x in ticks],
        },
        yaxis={"title": t("charts.bits_per_token"), "rangemode": "tozero"},
        yaxis2={
            "title": t("charts.mixing_steps"),
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "tick0": 0,
            "dtick": whole_step_ticks(most),
            "showgrid": False,  # the left axis's grid is the one drawn
        },
        height=320,
        margin={"t": 20},
        legend=TOP_LEGEND,
    )
    return fig
