"""The answering models' learned parameters, read from a versioned data file.

`answering_model.json` holds two logistic regressions (which unit answers, and whether the
question is answered at all), the thresholds chosen from cross-validated predictions, the
data they were fitted on (with sha256) and the command that refits them (`falun-kb fit`).
Beside it, `answering_model.questions.npz` holds the training questions' vectors and labels
that the question model's `labelled_margin` is measured against (`labelled.py`).
Predicting is a dot product: the product needs no scikit-learn to answer.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.answer.features import QUESTION_FEATURES, UNIT_FEATURES
from service.answer.labelled import LabelledQuestions, questions_file

MODEL_FILE = Path(__file__).with_name("answering_model.json")


class StaleModel(ValueError):
    """The data file was fitted on other features than the code computes: refit it."""


@dataclass(frozen=True)
class LogisticModel:
    """p = sigmoid(w · (x - mean) / scale + b), the features named as in `features.py`."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float

    def probability(self, x: Sequence[float]) -> float:
        z = self.intercept + sum(
            w * (v - m) / s
            for w, v, m, s in zip(self.weights, x, self.mean, self.scale, strict=True)
        )
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "weights": list(self.weights),
            "intercept": self.intercept,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], expected: tuple[str, ...]) -> LogisticModel:
        features = tuple(data["features"])
        if features != expected:
            raise StaleModel(
                f"the answering model was fitted on features {features}, the code computes "
                f"{expected}: run `falun-kb fit` to refit it"
            )
        return cls(
            features,
            tuple(data["mean"]),
            tuple(data["scale"]),
            tuple(data["weights"]),
            float(data["intercept"]),
        )


@dataclass(frozen=True)
class AnsweringModel:
    unit: LogisticModel
    question: LogisticModel
    # answer when p(answerable) reaches this: chosen so that at most the target share of
    # unanswerable questions gets an answer in cross-validation
    answer_threshold: float
    # an extra unit is quoted when its probability reaches this share of the best one's
    unit_ratio: float
    # a unit is quoted at all only from this probability (the best one always is)
    unit_floor: float
    # a comparison's quote from another named year is its unit with the highest probability
    # plus these weights times its section's and its words' overlap with the first quote
    year_section_weight: float
    year_word_weight: float
    # the labelled training questions `labelled_margin` is measured against
    questions: LabelledQuestions | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "answer_threshold": self.answer_threshold,
            "unit_ratio": self.unit_ratio,
            "unit_floor": self.unit_floor,
            "year_section_weight": self.year_section_weight,
            "year_word_weight": self.year_word_weight,
            "unit": self.unit.to_json(),
            "question": self.question.to_json(),
        }

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> AnsweringModel:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        labelled = data.get("labelled_questions")
        questions = None
        if labelled is not None:
            side = questions_file(path)
            if not side.is_file():
                raise StaleModel(f"{side} is missing: run `falun-kb fit` to refit the model")
            questions = LabelledQuestions.load(side)
        return cls(
            LogisticModel.from_json(data["unit"], UNIT_FEATURES),
            LogisticModel.from_json(data["question"], QUESTION_FEATURES),
            float(data["answer_threshold"]),
            float(data["unit_ratio"]),
            float(data["unit_floor"]),
            float(data["year_section_weight"]),
            float(data["year_word_weight"]),
            questions,
        )
