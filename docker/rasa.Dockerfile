# The Rasa server: Python 3.10, Rasa 3.6.21, our channels, and the Rasa model trained from rasa_project/ at build.
# Build from the repository root: docker build -f docker/rasa.Dockerfile -t fruitbot-rasa .
FROM python:3.10.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 RASA_TELEMETRY_ENABLED=false HOST=0.0.0.0 RASA_PORT=5005
WORKDIR /app
RUN useradd --create-home --uid 1001 fruitbot

COPY requirements/rasa.txt requirements/rasa.txt
RUN python -m venv .venv-rasa && .venv-rasa/bin/pip install --no-cache-dir -r requirements/rasa.txt

COPY common common
COPY channels channels
COPY rasa_project rasa_project
COPY credentials.yml endpoints.yml ./
COPY scripts/start_server.sh scripts/enabled_credentials.py scripts/
RUN .venv-rasa/bin/rasa train --domain rasa_project/domain.yml --config rasa_project/config.yml \
      --data rasa_project/data --out var/rasa-models --fixed-model-name fruitbot \
    && chown -R fruitbot var

USER fruitbot
EXPOSE 5005
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['RASA_PORT']}/\", timeout=3)"]
CMD ["scripts/start_server.sh", "rasa"]
