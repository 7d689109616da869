"""A shared link is untrusted: whatever its parameters say, the page shows them as text and links nowhere new.

Every page is opened with hostile values in every parameter it reads (and in some it does not), then every
link in the page and in its graph frames is collected: each must be one the app put there itself (its own
pages, Streamlit's own anchors). Text that looks like Markdown, HTML or a bare address must still be on the
page, as the characters the link carried.
"""

from __future__ import annotations

import urllib.parse

import pytest

from tests.e2e.test_browser import wait_ready

LINK_TEXT = "[Verify your account](https://evil.example/a)"
HOSTILE = [
    LINK_TEXT,
    "https://evil.example/b",
    "www.evil.example",
    "mail@evil.example",
    "<a href='https://evil.example/c'>x</a>",
    "<img src=x onerror=alert(1)>",
    ":red[**bold**] $x^2$",
]
# Per page, the parameters it reads, each given a hostile value (sources chosen so their text boxes are read).
PAGES = {
    "": {"step": None, "T": None},
    "state_space": {"preset": None, "V": None, "k": None},
    "train_explore": {"source": "text", "text": None, "k": None, "step": None, "tab": None, "view": None, "view_state": None},
    "compare": {"c_source": "text", "c_text": None, "c_bits_text": None, "c_tab": None, "c_steps": None},
    "real_text": {"rt_source": None, "rt_K": None, "rt_alphabet": None},
    "text_models": {"tm_k": None, "tm_sizes": None, "tm_span": None},
}
LINES = """(el) => {  // the rendered lines of an element's text: distinct tops of its text's boxes
  const range = document.createRange(); range.selectNodeContents(el);
  const tops = [...range.getClientRects()].filter(r => r.width > 0).map(r => r.top).sort((a, b) => a - b);
  return tops.filter((t, i) => i === 0 || t - tops[i - 1] > 8).length;  // boxes within 8 px: one line
}"""
ALL_LINKS = """() => {
  const out = [];
  const walk = (doc) => {
    doc.querySelectorAll('a, area').forEach(a => {  // HTML links, and SVG ones (plotly's labels) by xlink:href
      const href = a.getAttribute('href') || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href');
      if (href) out.push(href);
    });
    doc.querySelectorAll('iframe').forEach(f => { try { if (f.contentDocument) walk(f.contentDocument); } catch (e) {} });
  };
  walk(document);
  return out;
}"""


# Charts draw user symbols as state labels: plotly reads tags (<b>, <a href>) in its labels unless they are escaped.
# A state of k = 3 symbols can spell "<b>"; a link tag needs a context past the caps, markup does not.
TAGGED = "<b>" * 5  # 3 symbols: 27 states, few enough for the seed chart
CHART_PAGES = {
    "long-run": ("train_explore", {"source": "text", "text": TAGGED, "k": "3", "tab": "long_run"}),
    "seed-spread": (
        "compare",
        {"c_source": "text", "c_text": TAGGED, "c_tab": "seeds", "c_seed_k": "3", "c_nseeds": "2"},
    ),
}


def allowed(href: str, server: str) -> bool:
    """A link the app makes: one of its own pages (relative or on its origin), or an in-page anchor."""
    if href.startswith("#"):
        return True
    parsed = urllib.parse.urlparse(urllib.parse.urljoin(server + "/", href))
    return f"{parsed.scheme}://{parsed.netloc}" == server and "evil" not in href


@pytest.mark.parametrize("payload", [0, 1], ids=["markdown-link", "mixed"])
@pytest.mark.parametrize("path", list(PAGES))
def test_hostile_address_links_nowhere(page, server, path, payload):
    params = {"x": LINK_TEXT}  # not a parameter of any page: named first in the "ignored" notice (it names two)
    for i, (key, fixed) in enumerate(PAGES[path].items()):
        params[key] = fixed if fixed is not None else HOSTILE[(i + payload * 3) % len(HOSTILE)]
    page.goto(f"{server}/{path}?{urllib.parse.urlencode(params)}")
    wait_ready(page)
    page.wait_for_timeout(1500)  # frames and late elements
    links = page.evaluate(ALL_LINKS)
    foreign = [h for h in links if not allowed(h, server)]
    assert not foreign, f"links the app did not make: {foreign}"
    notice = page.locator('[data-testid="stAlertContentWarning"]').filter(has_text="Ignored in the address")
    assert notice.count() == 1, "the unknown parameter is named"
    shown = notice.inner_text().replace("\u2060", "")
    quoted = f"x={LINK_TEXT[:39]}… ({len(LINK_TEXT)} characters)"  # quoted short: at most 40 characters of it
    assert quoted in shown, f"named as the characters it carried: {shown!r}"
    lines = notice.evaluate(LINES)
    assert lines <= 2, f"the notice takes {lines} lines at 1400 px"


@pytest.mark.parametrize("name", list(CHART_PAGES))
def test_hostile_symbols_in_charts_link_nowhere(page, server, name):
    path, params = CHART_PAGES[name]
    page.goto(f"{server}/{path}?{urllib.parse.urlencode(params)}")
    wait_ready(page)
    page.locator(".js-plotly-plot").first.wait_for(timeout=120_000)
    page.wait_for_timeout(1000)
    foreign = [h for h in page.evaluate(ALL_LINKS) if not allowed(h, server)]
    assert not foreign, f"links the app did not make: {foreign}"
    ticks = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot .xtick text')].map(e => e.textContent).join(' ')")
    assert "<b>" in ticks, f"the state <b> is drawn as its three symbols, not as bold: {ticks!r}"
