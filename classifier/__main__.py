"""Command line: `python -m classifier train | crossval | evaluate | predict`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from PIL import UnidentifiedImageError

from classifier.config import DEFAULT_RULE, Recipe, VerdictRule
from classifier.items import Item, TrainingSet
from classifier.predict import DEFAULT_EXPORT, DEFAULT_MODEL, MODELS, Predictor
from classifier.rule_choice import CONFIDENT_RIGHT

DEFAULT_CACHE = MODELS.parent / "var" / "classifier-cache"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classifier", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    train_cmd = commands.add_parser("train", help="train a model and export it (fastai .pkl and .onnx)")
    add_training_arguments(train_cmd)
    train_cmd.add_argument(
        "--recipe",
        choices=["frozen", "fine_tune"],
        default="frozen",
        help="frozen: the frozen-body recipe on cached features (classifier/recipe.py; the shipped model's); "
        "fine_tune: the tutorial's lr_find + fine_tune of the whole network at --size",
    )
    train_cmd.add_argument("--size", type=int, default=128, help="input size of the fine_tune recipe")
    train_cmd.add_argument("--epochs", type=int, default=1, help="epochs of the fine_tune recipe")
    train_cmd.add_argument("--bs", type=int, default=64)
    train_cmd.add_argument(
        "--calibration",
        type=Path,
        help="a crossval JSON report: use its temperature and verdict rule (chosen on held-out photos)",
    )
    train_cmd.add_argument(
        "--out", type=Path, default=DEFAULT_EXPORT, help="fastai's export (.pkl); the ONNX file is written beside it"
    )

    crossval_cmd = commands.add_parser("crossval", help="the recipe's figures on real photos, by grouped k-fold")
    add_training_arguments(crossval_cmd)
    crossval_cmd.add_argument("--folds", type=int, default=5)
    crossval_cmd.add_argument(
        "--json", type=Path, help="write the report here (its temperature and verdict rule feed train --calibration)"
    )
    crossval_cmd.add_argument(
        "--confident-right",
        type=float,
        default=CONFIDENT_RIGHT,
        help='the verdict rule answers "it is X" from the lowest confidence at which such answers name the right '
        "kind this often (the one-sided 95 %% Wilson lower bound of their share)",
    )
    crossval_cmd.add_argument(
        "--held-out", type=Path, help="write every held-out photo's probabilities here (benchmarks/verdict_rule.py)"
    )
    crossval_cmd.add_argument(
        "--training-folds",
        type=int,
        help="fit each fold's model on the real photos of only this many other folds (a learning curve over "
        "sessions; default: all of them)",
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
    runners = {"train": run_train, "crossval": run_crossval, "evaluate": run_evaluate, "predict": run_predict}
    return runners[args.command](args)


def add_training_arguments(command: argparse.ArgumentParser) -> None:
    """The data and the frozen-body recipe's knobs, shared by train and crossval (defaults: the shipped model)."""
    d = Recipe()
    command.add_argument("--data", type=Path, nargs="+", required=True, help="studio shots: folders of <Class>/*.jpg")
    command.add_argument("--grocery", type=Path, nargs="*", default=[], help="Grocery Store split folders")
    command.add_argument(
        "--not-fruit", type=Path, nargs="*", default=[], help="folders of everyday photos without fruit"
    )
    command.add_argument("--arch", default="tf_efficientnet_lite0", help="a timm architecture")
    command.add_argument("--weights", type=Path, help="local pretrained weights for --arch")
    command.add_argument("--limit-per-class", type=int, help="at most N images per class (quick runs)")
    command.add_argument(
        "--backgrounds", type=Path, nargs="*", default=[], help="folders of photos to paste white-background fruit on"
    )
    command.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where cached body features are kept")
    recipe = command.add_argument_group("frozen-body recipe")
    recipe.add_argument("--sizes", type=int, nargs="+", default=list(d.sizes), help="the looks' sizes, input first")
    recipe.add_argument(
        "--crops", type=float, nargs="+", default=list(d.crops), help="per look: the share of the photo's side it sees"
    )
    recipe.add_argument(
        "--tuned-size", type=int, default=d.tuned_size, help="the look whose last blocks are fine-tuned; 0: none"
    )
    recipe.add_argument("--passes", type=int, default=d.passes, help="passes over the images: 1 plain + augmented")
    recipe.add_argument("--multi-size-passes", type=int, default=d.multi_size_passes)
    recipe.add_argument("--head-passes", type=int, default=d.head_passes, help="passes the linear heads train on")
    recipe.add_argument("--head-epochs", type=int, default=d.epochs)
    recipe.add_argument("--lr", type=float, default=d.lr, help="the linear heads' learning rate (0: lr_find's)")
    recipe.add_argument("--real-weight", type=float, default=d.real_weight, help="real fruit photos drawn N× as often")
    recipe.add_argument(
        "--imagenet-inputs",
        action=argparse.BooleanOptionalAction,
        default=d.imagenet_inputs,
        help="the linear heads also see the ImageNet head's log-probabilities of their look",
    )
    recipe.add_argument("--tail-epochs", type=int, default=d.tail_epochs)
    recipe.add_argument("--tail-lr", type=float, default=d.tail_lr)
    recipe.add_argument("--tail-weight", type=float, default=d.tail_weight, help="the tuned tail's share of the mix")


def training_set(args: argparse.Namespace) -> TrainingSet:
    from classifier.items import folder_items, grocery_items, limit_per_class, not_fruit_items

    def limited(items: list[Item]) -> list[Item]:
        return limit_per_class(items, args.limit_per_class) if args.limit_per_class else items

    return TrainingSet(
        studio=limited([item for root in args.data for item in folder_items(root)]),
        grocery=limited([item for root in args.grocery for item in grocery_items(root)]),
        everyday=limited([item for root in args.not_fruit for item in not_fruit_items(root)]),
    )


def background_files(args: argparse.Namespace) -> list[Path]:
    from classifier.items import image_files

    return [path for root in args.backgrounds for path in image_files(root)]


def recipe_of(args: argparse.Namespace, temperature: float = 1.0, rule: VerdictRule = DEFAULT_RULE) -> Recipe:
    return Recipe(
        sizes=tuple(args.sizes),
        crops=tuple(args.crops),
        tuned_size=args.tuned_size or None,
        passes=args.passes,
        multi_size_passes=args.multi_size_passes,
        head_passes=args.head_passes,
        epochs=args.head_epochs,
        lr=args.lr or None,
        real_weight=args.real_weight,
        imagenet_inputs=args.imagenet_inputs,
        tail_epochs=args.tail_epochs,
        tail_lr=args.tail_lr,
        tail_weight=args.tail_weight,
        temperature=temperature,
        rule=rule,
    )


def run_train(args: argparse.Namespace) -> int:
    from classifier.model_card import write_model_card
    from classifier.train import train

    crossval = json.loads(args.calibration.read_text()) if args.calibration else None
    recipe = (
        recipe_of(args, crossval["calibration"]["temperature"], VerdictRule(**crossval["calibration"]["rule"]))
        if crossval
        else recipe_of(args)
    )
    report = train(
        training_set(args),
        args.out,
        recipe if args.recipe == "frozen" else None,
        args.arch,
        args.size,
        args.epochs,
        args.weights,
        args.bs,
        backgrounds=background_files(args),
        cache_dir=args.cache,
    )
    card = write_model_card(report, [*args.data, *args.grocery, *args.not_fruit], crossval)
    print(f"exported {report.out} and {report.served}, model card {card}")
    return 0


def run_crossval(args: argparse.Namespace) -> int:
    from classifier.crossval import crossval
    from classifier.model_card import crossval_lines

    result, held_out = crossval(
        training_set(args),
        recipe_of(args),
        args.folds,
        args.arch,
        args.weights,
        backgrounds=background_files(args),
        cache_dir=args.cache,
        confident_right=args.confident_right,
        training_folds=args.training_folds,
    )
    print("\n".join(crossval_lines(json.loads(json.dumps(result.to_json(), default=str)))))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result.to_json(), indent=2, default=str), encoding="utf-8")
    if args.held_out:
        held_out.write(args.held_out)
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    from classifier.evaluate import evaluate
    from classifier.items import folder_items, grocery_items

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
