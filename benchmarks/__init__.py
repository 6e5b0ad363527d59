"""Scripts that print figures (speed, load, verdict trade-offs): `.venv/bin/python -m benchmarks.NAME`."""
