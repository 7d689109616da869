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
