"""A bounded cache in a process's memory, for HTML and rows that are the same for every request until
something they are keyed by changes (the navigation, a feedback form's page, a round's results). The
key carries everything the value depends on, so nothing is invalidated; a full cache is emptied, which
a site's few dozen variants hardly ever fill."""

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class ProcessCache(Generic[T]):
    def __init__(self, size: int = 100):
        self.size = size
        self._values: dict[Hashable, T] = {}

    def get(self, key: Hashable) -> T | None:
        return self._values.get(key)

    def put(self, key: Hashable, value: T) -> T:
        if len(self._values) >= self.size:
            self._values.clear()
        self._values[key] = value
        return value

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        value = self._values.get(key)
        return value if value is not None else self.put(key, make())

    def clear(self) -> None:
        self._values.clear()
