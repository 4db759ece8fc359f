"""Results kept across calls under a key that names an object by its identity."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

_T = TypeVar("_T")


def remembered(store: dict[Any, tuple[Any, _T]], key: Any, owner: object, make: Callable[[], _T],
               limit: int = 4096) -> _T:
    """``make()``, kept in ``store`` under ``key``. The key holds ``id(owner)``, so a result counts
    only while ``owner`` itself is the object kept beside it (an id can be reused once its object
    is gone). A key that cannot be hashed (a list among the answers) is made afresh each time;
    past ``limit`` entries the store starts again."""
    try:
        kept = store.get(key)
    except TypeError:
        return make()
    if kept is not None and kept[0] is owner:
        return kept[1]
    found = make()
    if len(store) > limit:
        store.clear()
    store[key] = (owner, found)
    return found
