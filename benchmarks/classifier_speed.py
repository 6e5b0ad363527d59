"""Print the classifier's load time and per-photo latency on this machine's CPU (no assertions: figures).

.venv/bin/python benchmarks/classifier_speed.py [--model models/fruits.pkl] [--runs 50]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from classifier.predict import DEFAULT_MODEL, Predictor
from classifier.preprocess import open_image, to_tensor

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "banana.jpg"


def timed_ms(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(name: str, times: list[float]) -> str:
    p95 = sorted(times)[int(0.95 * (len(times) - 1))]
    return f"{name:<44} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    started = time.perf_counter()
    predictor = Predictor(args.model)
    print(f"load time: {time.perf_counter() - started:.2f} s ({args.model}, {args.model.stat().st_size / 1e6:.1f} MB)")
    predictor.warm_up()

    tensor = to_tensor(open_image(FIXTURE.read_bytes()), predictor.size, predictor.stats)
    with torch.inference_mode():
        print(summary(f"eager model only, {predictor.size} px", timed_ms(lambda: predictor.model(tensor), args.runs)))
    small = FIXTURE.read_bytes()
    print(summary("predict(): 100 px JPEG, decode included", timed_ms(lambda: predictor.predict(small), args.runs)))
    buffer = io.BytesIO()
    Image.open(FIXTURE).resize((4000, 3000)).save(buffer, "JPEG", quality=90)
    big = buffer.getvalue()
    print(f"4000x3000 JPEG: {len(big) / 1e6:.1f} MB")
    big_times = timed_ms(lambda: predictor.predict(big), args.runs // 2)
    print(summary("predict(): 4000x3000 JPEG, decode included", big_times))


if __name__ == "__main__":
    main()
