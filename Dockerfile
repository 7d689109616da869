# BabyGPT Explorer: the app on port 8501, CPU-only torch, the default results precomputed.
# Build: docker build -t babygpt-explorer .    Run: docker run -p 8501:8501 babygpt-explorer
# BASE: any Debian-like image with Python 3.11 and its venv module (the default, or a local one for an offline build).
ARG BASE=python:3.11-slim
FROM ${BASE}

# The server's port and address come from the environment (Streamlit reads STREAMLIT_SERVER_*), so a run
# can move them without changing the command; the health check follows the port.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BABYGPT_STORE=/app/store \
    STREAMLIT_SERVER_PORT=8501 \
    STREAMLIT_SERVER_ADDRESS=0.0.0.0 \
    PATH=/opt/venv/bin:$PATH

WORKDIR /app

# A venv: the same install on any base (Debian's own python3 refuses a system-wide pip install).
# Every package at its locked version, each file checked against its sha256 (requirements.lock, for Linux x86_64;
# scripts/lock.sh writes it from pyproject.toml); torch's CPU build comes from PyTorch's host through its --find-links line.
COPY requirements.lock .
RUN python3 -m venv /opt/venv && pip install --require-hashes -r requirements.lock

COPY . .
# The Vocabulary & GPT page's GPT trained beforehand ships in core/text/shipped; only if its recipe no longer
# matches the shipped file (another torch) is it trained here, unless PRETRAIN=off (a server then trains it in the
# background once it is up, unless BABYGPT_PRETRAIN=off).
ARG PRETRAIN=on
# As root, so the app's user cannot change its own code: vis-network copied into static/ for the
# graphs, the default results trained into the store, which the app's user may then add to.
RUN python -c "from ui.assets import ensure_static; assert ensure_static()" \
    && python scripts/warm.py --store "$BABYGPT_STORE" $([ "$PRETRAIN" = off ] || echo --pretrained) \
    && useradd --create-home --uid 10001 app \
    && chown -R app:app "$BABYGPT_STORE"
USER 10001

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/_stcore/health' % os.environ['STREAMLIT_SERVER_PORT'], timeout=4)"
CMD ["streamlit", "run", "serve.py", "--server.headless=true", "--server.fileWatcherType=none", "--browser.gatherUsageStats=false"]
