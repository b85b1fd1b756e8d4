"""Average the weights of pipelines fine-tuned from one start: a "model soup".

Stage 4 is trained three times from stage 3's weights, with three seeds. Averaging the three sets of weights
(Wortsman et al. 2022, "Model soups: averaging weights of multiple fine-tuned models improves accuracy without
increasing inference time") gives one model, as fast as any of them, that scored better than each of them on
both kinds of dev text, MSRA dev and the local passages kept out of training: runs that share a start lie in one
basin of the loss, where their mean is a model of its own rather than a blur of two.

    python scripts/soup.py runs/localft runs/localft_s0/model-best runs/localft_s1/model-best

Every input must come from the same config (the same layers, the same shapes); the soup is written as the first.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import spacy

import kg.pipeline  # noqa: F401  (registers kg's layers, which the configs name)


def soup(paths: list[Path], out_path: Path, *, weights: list[float] | None = None) -> None:
    if len(paths) < 2:
        raise SystemExit(f"expected two pipelines or more to average, got {len(paths)}")
    weights = [1.0 / len(paths)] * len(paths) if weights is None else weights
    if len(weights) != len(paths) or any(w < 0 for w in weights) or abs(sum(weights) - 1.0) > 1e-6:
        raise SystemExit(f"--weights: expected {len(paths)} numbers of 0 or more that sum to 1, got {weights}")
    first, *rest = [spacy.load(path) for path in paths]
    for path, nlp in zip(paths[1:], rest):
        if nlp.pipe_names != first.pipe_names:
            raise SystemExit(f"{path}: pipeline {nlp.pipe_names} differs from {paths[0]}'s {first.pipe_names}")
    for name in first.pipe_names:
        layers = [list(nlp.get_pipe(name).model.walk()) for nlp in (first, *rest)]
        for path, other in zip(paths[1:], layers[1:]):
            if [n.name for n in other] != [n.name for n in layers[0]]:
                raise SystemExit(f"{path}: component {name!r} has other layers than in {paths[0]}")
        for nodes in zip(*layers):
            for param in nodes[0].param_names:
                if not nodes[0].has_param(param):
                    continue
                values = [node.get_param(param) for node in nodes]
                for path, value in zip(paths[1:], values[1:]):
                    if value.shape != values[0].shape:
                        raise SystemExit(f"{path}: {name}/{nodes[0].name}/{param} is {value.shape}, "
                                         f"{values[0].shape} in {paths[0]}")
                nodes[0].set_param(param, sum(w * v for w, v in zip(weights, values)))
    # written beside the target, then moved in (as package.py does): a failed write leaves no half pipeline
    tmp = out_path.with_name(out_path.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    first.to_disk(tmp)
    shutil.rmtree(out_path, ignore_errors=True)
    tmp.rename(out_path)
    print(f"wrote {out_path}: " + " + ".join(f"{w:.3g} x {p}" for w, p in zip(weights, paths)), file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("pipelines", type=Path, nargs="+")
    parser.add_argument("--weights", type=float, nargs="+", help="one per pipeline, summing to 1 (default: equal)")
    args = parser.parse_args()
    soup(args.pipelines, args.out, weights=args.weights)


if __name__ == "__main__":
    main()
