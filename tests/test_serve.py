"""serve.py: the app as Streamlit's st.App, and every way of starting the server starts it that way."""

import pathlib
import re

from streamlit.web.server.app_discovery import discover_asgi_app

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_streamlit_finds_the_app_in_serve_py_and_it_runs_app_py():
    found = discover_asgi_app(ROOT / "serve.py")
    assert found.is_asgi_app and found.app_name == "app", found
    text = (ROOT / "serve.py").read_text()
    assert re.search(r'st\.App\("app\.py", lifespan=lifespan\)', text)


def test_every_start_path_runs_serve_py():
    starts = {
        "scripts/app.sh": r"streamlit run serve\.py",
        "deploy/start.sh": r"-m streamlit run serve\.py",
        "Dockerfile": r'CMD \["streamlit", "run", "serve\.py"',
        "tests/e2e/harness.py": r'"run",\s*"serve\.py"',
    }
    for path, pattern in starts.items():
        text = (ROOT / path).read_text()
        assert re.search(pattern, text), path
        assert not re.search(r"streamlit\"?,? (\"run\", )?\"?run\"? \"?app\.py", text), f"{path} still starts app.py"


def test_the_start_up_work_leaves_the_overview_graph_built_in_both_languages(monkeypatch):
    """After `before_first_visitor`, the overview's first visit in either language finds its graph page computed: the
    page's arguments and the start-up work's agree (a change to one that misses the other fails here)."""
    from streamlit.testing.v1 import AppTest

    import serve
    from core.runtime import process
    from ui import cache, player

    monkeypatch.setattr(process, "settle", lambda: None)  # no gc.freeze in the test process
    cache.play_page.clear()  # other tests may have drawn the overview already
    serve.before_first_visitor()
    built = []
    real = player.player_page
    monkeypatch.setattr(player, "player_page", lambda *a, **kw: built.append(a) or real(*a, **kw))
    for lang in ("en", "zh"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception, at.exception
        assert len(at.get("iframe")) == 1, f"{lang}: the overview drew no graph"
    assert built == [], f"the overview built {len(built)} graph page(s) the start-up work should have built"
