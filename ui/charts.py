"""Every chart of the app: one function from core data to a plotly figure.

What it is: the loss curve, the transition-table heatmap, the context sweep, the seed spread,
the state-space growth and the home-computer comparison. Pages call these and display them.

What it is not: a place that computes numbers (`core` does) or knows about streamlit. Titles and
legends are in the language of the script run (`ui.i18n`): never cache a figure across sessions.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from core.babygpt.compare import ChainRow, SeedSummary
from core.babygpt.states import visible
from ui.i18n import t

SEEN_COLOR, ACCENT = "#4C78A8", "#F58518"
TOP_LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}  # above the plot: narrow charts keep their width


def heatmap(probs: np.ndarray, labels: list[str], symbols: list[str], title: str) -> go.Figure:
    """States down, next tokens across, colour = probability: for chains too big to draw."""
    fig = go.Figure(
        go.Heatmap(
            z=probs,
            x=[t("charts.next", symbol=visible(s)) for s in symbols],
            y=labels,
            zmin=0,
            zmax=1,
            colorscale="Blues",
            colorbar={"title": "P"},
        )
    )
    fig.update_layout(title=title, height=min(900, 120 + 12 * len(labels)), yaxis={"autorange": "reversed", "type": "category"})
    return fig


def loss_curve(losses_bits: list[float], marker_step: int | None = None) -> go.Figure:
    """Cross-entropy in bits per token at every training step, with the step shown in the graph marked."""
    fig = go.Figure(go.Scatter(x=list(range(len(losses_bits))), y=losses_bits, mode="lines+markers", name=t("charts.loss")))
    if marker_step is not None and marker_step < len(losses_bits):
        fig.add_vline(x=marker_step, line_dash="dot", line_color=ACCENT)
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
        yaxis={"type": "log", "title": t("charts.states_log"), "dtick": 1},  # one label per power of ten
        height=340,
        margin={"t": 20},
        legend=TOP_LEGEND,
    )
    return fig


def seed_spread(summary: SeedSummary, labels: list[str], symbol: str) -> go.Figure:
    """One box per state: P(next = symbol) over the seeds."""
    fig = go.Figure()
    for s, lab in enumerate(labels):
        fig.add_trace(go.Box(y=summary.values[:, s], name=lab, boxpoints="all", jitter=0.3, showlegend=False))
    fig.update_layout(
        xaxis={"type": "category", "title": t("charts.state")},
        yaxis_title=t("charts.p_next", symbol=symbol),
        yaxis_range=[0, 1],
        height=380,
        margin={"t": 20},
    )
    return fig


def state_growth(vocabs: list[int], max_context: int = 32) -> go.Figure:
    """log10(V^k) = k log10(V) against k, one line per vocabulary."""
    ks = list(range(1, max_context + 1))
    fig = go.Figure()
    for v in vocabs:
        fig.add_trace(go.Scatter(x=ks, y=[k * math.log10(v) for k in ks], name=f"V = {v:,}", mode="lines"))
    fig.update_layout(xaxis_title=t("charts.context_length"), yaxis_title=t("charts.log_states"), height=380, margin={"t": 20})
    return fig


def home_computers(presets: list[dict], claims: list[dict], machines: dict[str, tuple[int, str]]) -> go.Figure:
    """Bytes in one state of each real model, the article's own figures, and each machine's RAM as a line."""
    names = [r["model"] for r in presets]
    fig = go.Figure(
        go.Bar(x=names, y=[r["bytes_per_state"] for r in presets], name=t("charts.one_state"), marker_color=SEEN_COLOR)
    )
    fig.add_trace(
        go.Scatter(
            x=[c["published_model"] for c in claims],
            y=[c["article_claim_bytes"] for c in claims],
            mode="markers",
            name=t("charts.article_figure"),
            marker={"symbol": "diamond", "size": 13, "color": ACCENT},
        )
    )
    for (name, (ram, _note)), dash in zip(machines.items(), ["dot", "dash", "dashdot"], strict=True):
        legend = t(f"presets.machine.{name}")  # the machine and its note
        fig.add_trace(go.Scatter(x=names, y=[ram] * len(names), mode="lines", name=legend, line={"dash": dash}))
    fig.update_layout(
        yaxis_type="log", yaxis_title=t("charts.bytes_log"), height=460, margin={"t": 20}, legend={"orientation": "h"}
    )
    return fig


def stationary_bars(labels: list[str], pi: np.ndarray, order: np.ndarray) -> go.Figure:
    """The stationary probability of the given states, as bars with the states as categories."""
    fig = go.Figure(go.Bar(x=[labels[i] for i in order], y=pi[order], marker_color=SEEN_COLOR))
    fig.update_layout(xaxis={"type": "category", "title": t("charts.state")}, yaxis_title="π", height=320, margin={"t": 20})
    return fig


PLOTLY_CONFIG = {"displayModeBar": False}  # no mode bar: on a phone it covers the legend (pass as st.plotly_chart(config=...))
