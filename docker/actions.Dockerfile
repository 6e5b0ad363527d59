# The action server: Python 3.11, the serve requirements only (ONNX Runtime, no PyTorch), the shipped ONNX model.
# Build from the repository root: docker build -f docker/actions.Dockerfile -t fruitbot-actions .
FROM python:3.11.7-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOST=0.0.0.0 ACTIONS_PORT=5055
WORKDIR /app
RUN useradd --create-home --uid 1001 fruitbot

COPY requirements/serve.txt requirements/serve.txt
RUN python -m venv .venv && .venv/bin/pip install --no-cache-dir -r requirements/serve.txt

COPY common common
COPY actions actions
COPY classifier/__init__.py classifier/predict.py classifier/backends.py classifier/preprocess.py classifier/
COPY classifier/labels.py classifier/labels.yaml classifier/
COPY models/fruits.onnx models/fruits.onnx
COPY scripts/start_server.sh scripts/start_server.sh
RUN mkdir var && chown fruitbot var

USER fruitbot
EXPOSE 5055
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['ACTIONS_PORT']}/health\", timeout=3)"]
CMD ["scripts/start_server.sh", "actions"]
