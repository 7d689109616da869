# BabyGPT Explorer: the app on port 8501, CPU-only torch, the default results precomputed.
# Build: docker build -t babygpt-explorer .    Run: docker run -p 8501:8501 babygpt-explorer
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BABYGPT_STORE=/app/store

WORKDIR /app

# torch's CPU build comes from PyTorch's host through requirements.txt's --find-links line.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# As root, so the app's user cannot change its own code: vis-network copied into static/ for the
# graphs, the default results trained into the store, which the app's user may then add to.
RUN python -c "from ui.assets import ensure_static; assert ensure_static()" \
    && python scripts/warm.py --store "$BABYGPT_STORE" --pretrained \
    && useradd --create-home --uid 10001 app \
    && chown -R app:app "$BABYGPT_STORE"
USER app

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"
CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0", "--server.headless=true", "--server.fileWatcherType=none", "--browser.gatherUsageStats=false"]
