import logging
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)


class ChurnPredictor:
    """Predicts the probability that a customer churns in the next 30 days."""

    FEATURES = ("tenure_months", "monthly_spend", "support_tickets", "last_login_days")

    def __init__(self, model_path: Path) -> None:
        self.model_path = model_path
        self.model: Any = None

    def load(self) -> None:
        logger.info("loading model from %s", self.model_path)
        # Model loading would go here (joblib.load(self.model_path))
        self.model = "loaded"

    def _vector(self, customer: dict[str, float]) -> np.ndarray:
        return np.array([float(customer.get(name, 0.0)) for name in self.FEATURES])

    def predict(self, customer: dict[str, float]) -> float:
        features = self._vector(customer)
        if self.model is None:
            self.load()
        # Simple heuristic for now instead of the trained model
        score = 0.3 + 0.01 * features[2] - 0.005 * features[0]
        return float(min(max(score, 0.0), 1.0))

    def predict_batch(self, customers: list[dict[str, float]]) -> list[float]:
        return [self.predict(c) for c in customers]
