from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass
class Recommendation:
    product_id: int
    score: float
    reason: str


class DummyRecommender:
    def recommend(self, user_id: int, k: int = 5) -> list[Recommendation]:
        rng = random.Random(user_id)
        return [
            Recommendation(product_id=rng.randint(1, 500), score=round(rng.random(), 3), reason="popular")
            for _ in range(k)
        ]


class RecommendationService:
    def __init__(self) -> None:
        self.recommender = DummyRecommender()

    def for_user(self, user_id: int, k: int = 5) -> list[Recommendation]:
        recs = self.recommender.recommend(user_id, k)
        return sorted(recs, key=lambda r: r.score, reverse=True)

    def explain(self, rec: Recommendation) -> str:
        return f"Recommended because it is {rec.reason} (score {rec.score:.2f})"
