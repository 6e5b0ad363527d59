"""Print the classifier's load time and per-photo latency on this machine's CPU (no assertions: figures).

.venv/bin/python -m benchmarks.classifier_speed [--model models/fruits.onnx] [--runs 50] [--against OTHER.onnx]

The served model (ONNX Runtime) side by side with eager PyTorch running the same network at the same sizes
(timm's Lite0 with its ImageNet weights: our heads and veto add ~1 % to its cost; fastai's export is not
committed), the load time of a fresh process (imports included), and what a phone-sized 4000x3000 JPEG (a noisy
one, so it is megabytes like a real photo) costs end to end. The served model is timed first, in a process that has
not imported torch yet, as the action server never does. This machine's timings drift by up to ~50 % from one
minute to the next (other tenants): rerun before trusting a single figure, and compare two model files with
`--against`, which times them in turns of ten photos in one process, so that the drift falls on both alike.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from classifier.predict import DEFAULT_MODEL, Predictor
from classifier.preprocess import open_image, to_array

ROOT = Path(__file__).resolve().parent.parent

ARCH = "tf_efficientnet_lite0"
LOAD = "import time; t = time.perf_counter(); from pathlib import Path; from classifier.predict import Predictor; "
LOAD += "Predictor(Path({path!r})); "
LOAD += "print(time.perf_counter() - t)"
FIXTURE = ROOT / "tests" / "fixtures" / "banana.jpg"


def timed_ms(fn, runs: int, warm_up_s: float = 1.0) -> list[float]:
    """Milliseconds per call of `fn`, after calling it for `warm_up_s` seconds."""
    until = time.perf_counter() + warm_up_s
    while time.perf_counter() < until:
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def alternating_ms(fns: dict[str, Callable[[], object]], runs: int, turn: int = 10) -> dict[str, list[float]]:
    """`timed_ms` of each of `fns`, `runs` calls each, taken in turns of `turn` calls (each warmed up first)."""
    for fn in fns.values():
        timed_ms(fn, 0)
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(-(-runs // turn)):
        for name, fn in fns.items():
            times[name] += timed_ms(fn, turn, warm_up_s=0)
    return times


def summary(name: str, times: list[float]) -> str:
    p95 = sorted(times)[int(0.95 * (len(times) - 1))]
    return f"{name:<44} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms"


def eager_times(array: np.ndarray, sizes: list[int], crops: list[float], runs: int) -> list[float]:
    """The served model's network in eager PyTorch (Lite0 with its ImageNet head) taking each of its looks at
    `array` (a size, the share of the photo it sees), warmed up, timed."""
    import torch

    from classifier.multiscale import look
    from classifier.weights import imagenet_model

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    model = imagenet_model(ARCH)
    with torch.inference_mode():
        image = torch.from_numpy(array)
        looks = [look(image, sizes[0], size, crop) for size, crop in zip(sizes, crops, strict=True)]
        return timed_ms(lambda: [model(look) for look in looks], runs)


def fixture_input(predictor: Predictor) -> np.ndarray:
    """The fixture banana as `predictor`'s model takes it (its input size and normalisation)."""
    return to_array(open_image(FIXTURE.read_bytes()), predictor.size, predictor.stats)


def fresh_process_load_seconds(path: Path) -> float:
    """Seconds from a fresh interpreter's first import of the predict API to a loaded model."""
    code = LOAD.format(path=str(path))
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=True, text=True)
    return float(run.stdout)


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
    parser.add_argument("--against", type=Path, help="another model file, timed in turns with --model's")
    args = parser.parse_args()

    loads = [fresh_process_load_seconds(args.model) for _ in range(3)]
    megabytes = args.model.stat().st_size / 1e6
    print(f"load time, fresh process: median {statistics.median(loads):.2f} s ({args.model}, {megabytes:.1f} MB)")
    predictor = Predictor(args.model)
    predictor.warm_up()

    array = fixture_input(predictor)
    sizes, crops = predictor.model.sizes, predictor.model.crops
    at = "+".join(
        f"{size}" if crop == 1 else f"{size} (centre {crop:.0%})" for size, crop in zip(sizes, crops, strict=True)
    )
    at += " px"
    served = f"served model ({type(predictor.model).__name__}), {at}"
    print(summary(served, timed_ms(lambda: predictor.model.logits(array), args.runs)))
    if args.against:
        other = Predictor(args.against)
        other_array = fixture_input(other)
        turns = {
            f"--model {args.model.name}": lambda: predictor.model.logits(array),
            f"--against {args.against.name}": lambda: other.model.logits(other_array),
        }
        for name, times in alternating_ms(turns, args.runs * 3).items():
            print(summary(f"in turns of ten: {name}", times))
    small = FIXTURE.read_bytes()
    print(summary("predict(): 100 px JPEG, decode included", timed_ms(lambda: predictor.predict(small), args.runs)))
    big = phone_sized_jpeg()
    print(f"4000x3000 JPEG: {len(big) / 1e6:.1f} MB")
    big_times = timed_ms(lambda: predictor.predict(big), args.runs // 2)
    print(summary("predict(): 4000x3000 JPEG, decode included", big_times))
    print(summary(f"eager PyTorch, {ARCH} at {at}", eager_times(array, sizes, crops, args.runs)))


if __name__ == "__main__":
    main()
