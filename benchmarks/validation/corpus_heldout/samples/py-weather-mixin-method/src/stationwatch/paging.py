"""Cursor pagination shared by the API clients."""

from typing import Any, Iterator


class PagingMixin:
    def _get(self, path: str, **query: str) -> Any:
        raise TypeError("PagingMixin needs a client that implements _get")

    def _paginate(self, path: str, **query: str) -> Iterator[dict[str, Any]]:
        cursor = ""
        while True:
            page = self._get(path, cursor=cursor, **query) if cursor else self._get(path, **query)
            yield page
            cursor = page.get("next_cursor") or ""
            if not cursor:
                return

