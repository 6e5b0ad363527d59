"""Print the classifier's load time and per-photo latency on this machine's CPU (no assertions: figures).

.venv/bin/python benchmarks/classifier_speed.py [--model models/fruits.pkl] [--runs 50]

Eager PyTorch (what the action server runs) side by side with the same model exported to ONNX Runtime, and what a
phone-sized 4000x3000 JPEG (a noisy one, so it is megabytes like a real photo) costs end to end.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
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


def onnx_session(model: torch.nn.Module, size: int) -> ort.InferenceSession:
    """The model exported to ONNX in memory, in an ONNX Runtime session with as many threads as torch uses."""
    buffer = io.BytesIO()
    torch.onnx.export(model, (torch.zeros(1, 3, size, size),), buffer, input_names=["image"], dynamo=False)
    options = ort.SessionOptions()
    options.intra_op_num_threads = torch.get_num_threads()
    return ort.InferenceSession(buffer.getvalue(), options, providers=["CPUExecutionProvider"])


def phone_sized_jpeg() -> bytes:
    """The fixture banana at 4000x3000 with sensor-like noise, so the JPEG weighs what a phone photo does."""
    pixels = np.asarray(Image.open(FIXTURE).convert("RGB").resize((4000, 3000)), dtype=np.int16)
    noise = np.random.default_rng(0).integers(-12, 13, size=pixels.shape, dtype=np.int16)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


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
    session = onnx_session(predictor.model, predictor.size)
    feed = {"image": tensor.numpy()}
    onnx_times = timed_ms(lambda: session.run(None, feed), args.runs)
    print(summary(f"ONNX Runtime model only, {predictor.size} px", onnx_times))
    small = FIXTURE.read_bytes()
    print(summary("predict(): 100 px JPEG, decode included", timed_ms(lambda: predictor.predict(small), args.runs)))
    big = phone_sized_jpeg()
    print(f"4000x3000 JPEG: {len(big) / 1e6:.1f} MB")
    big_times = timed_ms(lambda: predictor.predict(big), args.runs // 2)
    print(summary("predict(): 4000x3000 JPEG, decode included", big_times))


if __name__ == "__main__":
    main()
