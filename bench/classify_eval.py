"""Precision and recall of the import classifier on a labelled corpus; prints JSON.

    python bench/classify_eval.py [CORPUS_DIR]

CORPUS_DIR holds a ``labels.csv`` (columns ``file``, ``label``) with paths
relative to it; ``label`` is an incident kind or ``none``.  Default:
``tests/corpus``.  No ledger is involved: the classifier is a pure function.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from gdprkit.importers import ClassifyOptions, classify, iter_eml

CLASSES = ("mailing-list", "forwarded")


def evaluate(corpus: Path, options: ClassifyOptions | None = None) -> dict:
    with open(corpus / "labels.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    truth = {str(corpus / r["file"]): (r["label"] or "none") for r in rows}
    predicted: dict[str, str] = {}
    errors = []
    for pm in iter_eml(truth):
        decision = classify(pm, options)
        predicted[pm.source] = decision.kind or "none"
        if predicted[pm.source] != truth[pm.source]:
            errors.append({"file": str(Path(pm.source).relative_to(corpus)),
                           "label": truth[pm.source], "predicted": predicted[pm.source],
                           "confidence": decision.confidence, "reasons": list(decision.reasons)})
    per_class = {}
    for cls in CLASSES:
        tp = sum(1 for f in truth if truth[f] == cls and predicted[f] == cls)
        fp = sum(1 for f in truth if truth[f] != cls and predicted[f] == cls)
        fn = sum(1 for f in truth if truth[f] == cls and predicted[f] != cls)
        per_class[cls] = {
            "precision": round(tp / (tp + fp), 4) if tp + fp else None,
            "recall": round(tp / (tp + fn), 4) if tp + fn else None,
            "support": tp + fn,
            "tp": tp, "fp": fp, "fn": fn,
        }
    return {"corpus": str(corpus), "messages": len(truth), "classes": per_class, "errors": errors}


def main(argv: list[str]) -> int:
    corpus = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "tests" / "corpus"
    print(json.dumps(evaluate(corpus), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
