"""``POST /v1/clusters/list``: filters, search, sort and pagination over ClusterMetadata.

Filters use the API's LogicalOperator shape: ``AND``/``OR``/``NOT`` lists of conditions
``{field, operator, value}`` or nested operators; any other key is a shorthand equality
(``{"cluster_type": "vector"}``). Fields are dot paths into the ClusterMetadata JSON.
Without a sort, the newest cluster comes first. The cursor is opaque (it encodes an offset).
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

from .errors import ApiError

__all__ = ["DEFAULT_LIMIT", "decode_cursor", "encode_cursor", "list_page", "matches",
           "sort_keys"]

DEFAULT_LIMIT = 10
_CURSOR_PREFIX = "offset:"
_MISSING = object()
_CONDITION_KEYS = ("field", "operator", "value")
_OPERATOR_KEYS = ("AND", "OR", "NOT")


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith(_CURSOR_PREFIX):
            raise ValueError(text)
        offset = int(text[len(_CURSOR_PREFIX):])
        if offset < 0:
            raise ValueError(text)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApiError(
            400,
            "Invalid cursor: pass the next_cursor value of a previous list response unchanged.",
            details={"cursor": cursor},
        ) from exc
    return offset


def _get(doc: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(doc, dict) or part not in doc:
            return _MISSING
        doc = doc[part]
    return doc


def _fold(value: Any, case_sensitive: bool) -> Any:
    return value if case_sensitive or not isinstance(value, str) else value.lower()


def _ordered(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(actual: Any, expected: Any) -> bool:
        try:
            return actual is not None and op(actual, expected)
        except TypeError:
            return False

    return compare


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(actual, str) and isinstance(expected, str):
        return expected in actual
    return isinstance(actual, list) and expected in actual


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, e: a == e or (isinstance(a, list) and e in a),
    "ne": lambda a, e: a != e,
    "gt": _ordered(lambda a, e: a > e),
    "gte": _ordered(lambda a, e: a >= e),
    "lt": _ordered(lambda a, e: a < e),
    "lte": _ordered(lambda a, e: a <= e),
    "in": lambda a, e: a in _as_list(e),
    "nin": lambda a, e: a not in _as_list(e),
    "contains": _contains,
    "text": _contains,
    "starts_with": lambda a, e: isinstance(a, str) and isinstance(e, str) and a.startswith(e),
    "ends_with": lambda a, e: isinstance(a, str) and isinstance(e, str) and a.endswith(e),
    "regex": lambda a, e: isinstance(a, str) and isinstance(e, str) and re.search(e, a) is not None,
}


def _condition(doc: dict[str, Any], item: dict[str, Any], case_sensitive: bool) -> bool:
    field = item.get("field")
    operator = item.get("operator") or "eq"
    expected = item.get("value")
    if not isinstance(field, str):
        raise ApiError(400, "Filter condition needs a string 'field'.", details={"filter": item})
    actual = _get(doc, field)
    if operator == "exists":
        return (actual is not _MISSING and actual is not None) == bool(
            True if expected is None else expected
        )
    if operator == "is_null":
        return (actual is _MISSING or actual is None) == bool(
            True if expected is None else expected
        )
    compare = _OPERATORS.get(operator)
    if compare is None:
        known = ", ".join([*_OPERATORS, "exists", "is_null"])
        raise ApiError(
            400, f"Unknown filter operator {operator!r}: use one of {known}.",
            details={"operator": operator},
        )
    if operator == "regex":
        if not isinstance(expected, str):
            return False
        flags = 0 if case_sensitive else re.IGNORECASE
        return isinstance(actual, str) and re.search(expected, actual, flags) is not None
    if actual is _MISSING:
        actual = None
    if operator == "text":
        case_sensitive = False
    return compare(_fold(actual, case_sensitive), _fold(expected, case_sensitive))


def _is_condition(item: dict[str, Any]) -> bool:
    return "field" in item and set(item) <= {*_CONDITION_KEYS, "case_sensitive"}


def _item(doc: dict[str, Any], item: Any, case_sensitive: bool) -> bool:
    if not isinstance(item, dict):
        raise ApiError(400, "Filter lists must contain objects.", details={"filter": item})
    return matches(doc, item, case_sensitive)


def matches(doc: dict[str, Any], flt: dict[str, Any], case_sensitive: bool = False) -> bool:
    """Whether a ClusterMetadata document passes a LogicalOperator filter (or condition)."""
    case_sensitive = bool(flt.get("case_sensitive", case_sensitive))
    if _is_condition(flt):
        return _condition(doc, flt, case_sensitive)
    for key, value in flt.items():
        if key == "case_sensitive" or (key in _OPERATOR_KEYS and value is None):
            continue
        if key in _OPERATOR_KEYS:
            results = [_item(doc, item, case_sensitive) for item in _as_list(value)]
            ok = all(results) if key == "AND" else any(results) if key == "OR" else not any(results)
        else:
            ok = _condition(doc, {"field": key, "operator": "eq", "value": value}, case_sensitive)
        if not ok:
            return False
    return True


def _searched(doc: dict[str, Any], description: str | None, search: str) -> bool:
    texts = [doc.get("cluster_id"), doc.get("cluster_name"), description]
    needle = search.lower()
    if "*" in needle or "?" in needle:
        pattern = re.compile(
            ".*".join(re.escape(p).replace(r"\?", ".") for p in needle.split("*")), re.DOTALL
        )
        return any(isinstance(t, str) and pattern.fullmatch(t.lower()) for t in texts)
    return any(isinstance(t, str) and needle in t.lower() for t in texts)


def _sorted(docs: list[dict[str, Any]], field: str, descending: bool) -> list[dict[str, Any]]:
    """Sort by a dot-path field; documents without the field come last."""
    present = [d for d in docs if _get(d, field) not in (_MISSING, None)]
    absent = [d for d in docs if _get(d, field) in (_MISSING, None)]
    try:
        present.sort(key=lambda d: _get(d, field), reverse=descending)
    except TypeError:
        present.sort(key=lambda d: str(_get(d, field)), reverse=descending)
    return present + absent


def sort_keys(sort: dict[str, Any] | None, sorts: list[dict[str, Any]] | None = None
              ) -> list[tuple[str, bool]]:
    """(field, descending) pairs, primary first: ``sorts`` (1.3.783; each ``{field,
    direction}``) wins over the single ``sort``."""
    if sorts:
        keys = []
        for item in sorts:
            field = item.get("field")
            direction = item.get("direction") or "asc"
            if not isinstance(field, str) or not field or direction not in ("asc", "desc"):
                raise ApiError(
                    400,
                    "Each sorts entry is {field, direction}: field a dot path, direction "
                    "'asc' or 'desc'.",
                    details={"sort": item},
                )
            keys.append((field, direction == "desc"))
        return keys
    if sort is not None:
        return [(sort["field"], sort.get("direction") == "desc")]
    return []


def list_page(
    docs: list[tuple[dict[str, Any], str | None]],
    *,
    filters: dict[str, Any] | None = None,
    sorts: Sequence[tuple[str, bool]] = (),
    search: str | None = None,
    limit: int,
    offset: int,
    cursor: str | None = None,
    after: str | None = None,
    include_total: bool = False,
    always_page: bool = False,
    path: str = "/v1/clusters/list",
) -> dict[str, Any]:
    """One page of clusters (ListClustersResponse JSON). ``docs``: ClusterMetadata JSON and
    description, oldest first. A cursor wins over ``after`` (a cluster_id: the page starts
    after it), which wins over ``offset``. ``always_page`` (1.3.783): page and page_size are
    reported without include_total; total and total_pages only with it."""
    if cursor:
        offset = decode_cursor(cursor)
    selected = [d for d, _ in reversed(docs)]
    descriptions = {d["cluster_id"]: desc for d, desc in docs}
    if filters is not None:
        selected = [d for d in selected if matches(d, filters)]
    if search:
        selected = [d for d in selected if _searched(d, descriptions[d["cluster_id"]], search)]
    for field, descending in reversed(sorts):
        selected = _sorted(selected, field, descending)
    if after and not cursor:
        ids = [d["cluster_id"] for d in selected]
        if after not in ids:
            raise ApiError(
                400,
                f"after={after!r} is not a cluster in this listing: pass the cluster_id of the "
                "last result of the previous page.",
                details={"after": after},
            )
        offset = ids.index(after) + 1
    total = len(selected)
    page = selected[offset : offset + limit]
    more = offset + limit < total
    pagination: dict[str, Any] = {
        "next_cursor": encode_cursor(offset + limit) if more else None,
        "next_page": f"{path}?limit={limit}&offset={offset + limit}" if more else None,
        "previous_page": (
            f"{path}?limit={limit}&offset={max(0, offset - limit)}" if offset else None
        ),
    }
    if include_total or always_page:
        pagination["page"] = offset // limit + 1
        pagination["page_size"] = limit
    if include_total:
        pagination["total"] = total
        pagination["total_pages"] = math.ceil(total / limit)
    documents = sum(d.get("num_documents_clustered") or 0 for d in selected)
    by_status: dict[str, int] = {}
    for d in selected:
        key = d.get("status") or "UNKNOWN"
        by_status[key] = by_status.get(key, 0) + 1
    return {
        "results": page,
        "pagination": pagination,
        "total_count": total,
        "stats": {
            "total_clusters": total,
            "total_documents": documents,
            "avg_documents_per_cluster": round(documents / total, 3) if total else 0.0,
            "clusters_by_status": by_status,
        },
    }
