"""Command line: `python -m classifier train | evaluate | predict`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from PIL import UnidentifiedImageError

from classifier.predict import DEFAULT_EXPORT, DEFAULT_MODEL, Predictor


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classifier", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    train_cmd = commands.add_parser("train", help="fine-tune a model and export it (fastai .pkl and .onnx)")
    train_cmd.add_argument("--data", type=Path, nargs="+", required=True, help="folders of <Class>/*.jpg")
    train_cmd.add_argument("--grocery", type=Path, nargs="*", default=[], help="Grocery Store split folders")
    train_cmd.add_argument("--arch", default="tf_efficientnet_lite0", help="a timm architecture")
    train_cmd.add_argument("--weights", type=Path, help="local pretrained weights for --arch")
    train_cmd.add_argument("--size", type=int, default=128)
    train_cmd.add_argument("--epochs", type=int, default=1)
    train_cmd.add_argument(
        "--lr", type=float, help="use this learning rate, not lr_find's (fine_tune: lr_find is then skipped)"
    )
    train_cmd.add_argument("--bs", type=int, default=64)
    train_cmd.add_argument("--lr-find-iters", type=int, default=100)
    train_cmd.add_argument(
        "--frozen-passes",
        type=int,
        default=0,
        help="N > 0: keep the pretrained body frozen and train the head on its features of N passes over the "
        "training images, the first as they are, the others augmented (fast on a CPU, best on real photos); "
        "0: the tutorial's fine_tune of the whole network",
    )
    train_cmd.add_argument(
        "--extra-sizes",
        type=int,
        nargs="*",
        default=[],
        help="with --frozen-passes: also look at each photo at these input sizes (px), a head per size, their "
        "probabilities averaged; the model still takes --size px images",
    )
    train_cmd.add_argument(
        "--real-weight", type=float, default=1.0, help="draw --grocery fruit photos this many times as often"
    )
    train_cmd.add_argument("--limit-per-class", type=int, help="at most N images per class (quick runs)")
    train_cmd.add_argument(
        "--backgrounds", type=Path, nargs="*", default=[], help="folders of photos to paste white-background fruit on"
    )
    train_cmd.add_argument(
        "--out", type=Path, default=DEFAULT_EXPORT, help="fastai's export (.pkl); the ONNX file is written beside it"
    )

    evaluate_cmd = commands.add_parser("evaluate", help="measure a model on a labelled folder")
    evaluate_cmd.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="an .onnx file or fastai's .pkl")
    evaluate_cmd.add_argument("--data", type=Path, required=True, help="DIR/<Class>/*.jpg (e.g. a Test split)")
    evaluate_cmd.add_argument("--grocery", action="store_true", help="DIR is a Grocery Store split: map its classes")
    evaluate_cmd.add_argument("--json", type=Path, help="write the metrics here as JSON")
    evaluate_cmd.add_argument("--plots", type=Path, help="prefix of the confusion-matrix and top-losses PNGs")
    evaluate_cmd.add_argument("--card", type=Path, help="append the results to this model card (markdown)")

    predict_cmd = commands.add_parser("predict", help="name the fruit in images or URLs")
    predict_cmd.add_argument("inputs", nargs="+")
    predict_cmd.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="an .onnx file or fastai's .pkl")
    predict_cmd.add_argument("--json", action="store_true", help="one JSON object per input line")

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    runners = {"train": run_train, "evaluate": run_evaluate, "predict": run_predict}
    return runners[args.command](args)


def run_train(args: argparse.Namespace) -> int:
    from fastai.vision.all import get_image_files

    from classifier.data import folder_items, grocery_items, limit_per_class
    from classifier.labels import NOT_FRUIT
    from classifier.model_card import write_model_card
    from classifier.train import train

    studio = [item for root in args.data for item in folder_items(root)]
    real = [item for root in args.grocery for item in grocery_items(root)]
    items = studio + real
    if args.limit_per_class:
        items = limit_per_class(items, args.limit_per_class)
    report = train(
        items,
        args.out,
        args.arch,
        args.size,
        args.epochs,
        args.lr,
        args.weights,
        args.bs,
        lr_find_iters=args.lr_find_iters,
        backgrounds=[path for root in args.backgrounds for path in get_image_files(root)],
        frozen_passes=args.frozen_passes,
        extra_sizes=args.extra_sizes,
        item_weights={item: args.real_weight for item in real if item[1] != NOT_FRUIT},
    )
    notes = [f"Grocery Store fruit photos drawn {args.real_weight:g}× as often (`--real-weight`)"] if real else []
    card = write_model_card(report, [*args.data, *args.grocery], notes)
    print(f"exported {report.out} and {report.served}, model card {card}")
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    from classifier.data import folder_items, grocery_items
    from classifier.evaluate import evaluate

    items = grocery_items(args.data) if args.grocery else folder_items(args.data)
    result = evaluate(Predictor(args.model), items, args.plots)
    if result.unknown_classes:
        print(f"classes the model does not know (skipped): {', '.join(result.unknown_classes)}")
    print(
        f"{args.data}: fruit n={result.n} accuracy={result.accuracy:.2%} top3={result.top3:.2%} top5={result.top5:.2%} "
        f"kind={result.kind_accuracy:.2%} latency={result.mean_latency_ms:.1f} ms/img"
    )
    if result.not_fruit_rejected is not None:
        print(f"not-a-fruit photos rejected: {result.not_fruit_rejected:.2%}")
    if result.fruit_kept is not None:
        print(f"fruit photos kept (not rejected): {result.fruit_kept:.2%}")
    if args.json:
        args.json.write_text(json.dumps(result.to_json(), indent=2), encoding="utf-8")
    if args.card:
        from classifier.model_card import append_evaluation

        append_evaluation(args.card, args.data, result)
    return 0


def run_predict(args: argparse.Namespace) -> int:
    predictor = Predictor(args.model)
    for source in args.inputs:
        line = predict_line(predictor, source)
        print(json.dumps(line) if args.json else readable(line))
    return 0


def predict_line(predictor: Predictor, source: str) -> dict:
    """`predict --json`'s object for one input: its verdict and top guesses, or why it could not be read."""
    from classifier.sources import read_input

    try:
        return {"input": source, **predictor.predict(read_input(source)).to_json()}
    except UnidentifiedImageError:
        return {"input": source, "error": "not an image (no format Pillow can read)"}
    except Exception as error:  # noqa: BLE001 - one bad input must not stop the others
        return {"input": source, "error": f"{type(error).__name__}: {error}"}


def readable(line: dict) -> str:
    if "error" in line:
        return f"{line['input']}: cannot read: {line['error']}"
    guesses = ", ".join(f"{g['name']} {g['p']:.0%}" for g in line["top"])
    return f"{line['input']}: {line['verdict']} — {guesses}"


if __name__ == "__main__":
    sys.exit(main())
