"""A trigger's ``schedule_config``, checked per ``trigger_type`` at preview (no network).

The reference is what the API documents (CreateTriggerRequest's description, the same in SDK
1.3.1 and 1.3.783): cron ``{cron_expression, timezone}``, interval ``{interval_seconds,
start_immediately}``, event ``{event_type, event_threshold, collection_id, cooldown_seconds}``,
conditional ``{condition_type, threshold, metric, check_interval_seconds}``. Where the
documents leave a choice, the choice made here (docs/triggers.md says the same):

- every key the description lists for a type is required ("Requires {...}"; no model states a
  default), and a key it does not list is refused, so a misspelt key never goes unnoticed
  (the local server, emulator/, reads the documents the same way);
- a cron expression is the standard five fields (minute hour day-of-month month day-of-week),
  each ``*``, a number, a range ``a-b``, a step ``*/n`` or ``a-b/n``, or a list of those; month
  and weekday names (JAN, MON) are accepted; a seconds field and the macros (``@daily``, ...)
  are not: the API documents neither, and the local server refuses them, so check says which
  five fields to write instead;
- timezone: an IANA name the tz database knows (``UTC``, ``Europe/Berlin``);
- numbers: interval_seconds, event_threshold and check_interval_seconds whole and positive,
  cooldown_seconds whole and not negative, threshold a number;
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from collections.abc import Mapping
from functools import cache
from typing import Any

from pulumi.dynamic import CheckFailure

from ._unknowns import contains_unknown, is_unknown

__all__ = ["SCHEDULE_KEYS", "cron_problem", "schedule_failures"]

#: The keys the API documents per trigger type, the required ones first.
SCHEDULE_KEYS: Mapping[str, tuple[str, ...]] = {
    "cron": ("cron_expression", "timezone"),
    "interval": ("interval_seconds", "start_immediately"),
    "event": ("event_type", "event_threshold", "collection_id", "cooldown_seconds"),
    "conditional": ("condition_type", "threshold", "metric", "check_interval_seconds"),
}

#: The usual cron macros, refused with the five fields they stand for.
_MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
#: (name, lowest, highest, names) of the five fields.
_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day of month", 1, 31, {}),
    ("month", 1, 12, {m: i + 1 for i, m in enumerate(_MONTHS)}),
    ("day of week", 0, 7, {d: i for i, d in enumerate(_DAYS)}),
)
_ITEM = re.compile(r"^(?P<range>\*|[^-/]+(?:-[^-/]+)?)(?:/(?P<step>[^/]+))?$")


def _value(text: str, low: int, high: int, names: dict[str, int], field: str) -> int:
    number = names.get(text.upper()) if not text.isdigit() else int(text)
    if number is None:
        raise ValueError(f"{field} {text!r} is not a number")
    if not low <= number <= high:
        raise ValueError(f"{field} {number} is outside {low}-{high}")
    return number


def cron_problem(expression: str) -> str | None:
    """What is wrong with a cron expression, or None when it parses."""
    text = expression.strip()
    if text.lower() in _MACROS:
        return (
            f"is a macro, which the API does not document; write the five fields it stands "
            f"for: {_MACROS[text.lower()]!r}"
        )
    parts = text.split()
    if len(parts) != 5:
        return (
            f"has {len(parts)} field(s); a cron expression has 5: minute hour day-of-month "
            "month day-of-week (e.g. '0 2 * * *', daily at 02:00)"
        )
    for part, (field, low, high, names) in zip(parts, _FIELDS, strict=True):
        for item in part.split(","):
            match = _ITEM.match(item)
            if match is None:
                return f"{field} field {part!r}: {item!r} is not *, a number, a range or a step"
            try:
                span = match["range"]
                if span != "*":
                    ends = [_value(e, low, high, names, field) for e in span.split("-")]
                    if len(ends) == 2 and ends[0] > ends[1]:
                        return f"{field} field {part!r}: range {span!r} runs backwards"
                if match["step"] is not None:
                    step = match["step"]
                    if not step.isdigit() or int(step) < 1:
                        return f"{field} field {part!r}: step {step!r} is not a positive number"
            except ValueError as exc:
                return f"{field} field {part!r}: {exc}"
    return None


@cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _timezone_exists(name: str) -> bool:
    if name in _timezones():
        return True
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _whole(value: Any) -> bool:
    """A whole number (the engine sends every number as a float: 3600.0 is whole)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return float(value).is_integer()


def schedule_failures(trigger_type: Any, schedule: Any) -> list[CheckFailure]:
    """Every problem of ``schedule`` for ``trigger_type``, one failure per property
    (``schedule_config.<key>``). Nothing is said of values not known yet."""
    if is_unknown(trigger_type) or trigger_type not in SCHEDULE_KEYS or is_unknown(schedule):
        return []
    if not isinstance(schedule, Mapping):
        return []  # the declaration model says it is not an object
    documented = ", ".join(SCHEDULE_KEYS[trigger_type])
    failures: list[CheckFailure] = []

    def fail(key: str, reason: str) -> None:
        failures.append(CheckFailure(f"schedule_config.{key}", reason))

    # A misspelt key names the key it stands for; that key is not reported missing too.
    meant = {
        key: close[0]
        for key in schedule
        if key not in SCHEDULE_KEYS[trigger_type]
        and not any(key in keys for keys in SCHEDULE_KEYS.values())
        and (close := difflib.get_close_matches(key, SCHEDULE_KEYS[trigger_type], n=1))
    }
    for key in SCHEDULE_KEYS[trigger_type]:
        if schedule.get(key) is None and key not in meant.values():
            fail(
                key,
                f"{_article(trigger_type)} {trigger_type} trigger needs schedule_config.{key} "
                f"(its schedule_config "
                f"takes {documented})",
            )
    for key, value in schedule.items():
        if key not in SCHEDULE_KEYS[trigger_type]:
            others = [t for t, keys in SCHEDULE_KEYS.items() if key in keys]
            elsewhere = f" (a key of {others[0]} triggers)" if others else ""
            if key in meant:
                elsewhere = f"; did you mean {meant[key]!r}?"
            fail(
                key,
                f"a {trigger_type} trigger's schedule_config takes {documented}, not "
                f"{key!r}{elsewhere}",
            )
            continue
        if value is None or contains_unknown(value):
            continue
        reason = _problem(trigger_type, key, value)
        if reason is not None:
            fail(key, reason)
    return failures


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _problem(trigger_type: str, key: str, value: Any) -> str | None:
    if trigger_type == "cron":
        if key == "cron_expression":
            if not isinstance(value, str):
                return "cron_expression must be a string such as '0 2 * * *'"
            problem = cron_problem(value)
            if problem is not None:
                return f"cron expression {value!r} does not parse: {problem}"
            return None
        if key == "timezone":
            if not isinstance(value, str) or not _timezone_exists(value):
                return (
                    f"timezone {value!r} does not exist: use an IANA time zone name such as "
                    "'UTC' or 'Europe/Berlin'"
                )
    if key in ("interval_seconds", "event_threshold", "check_interval_seconds"):
        if not _whole(value) or value <= 0:
            what = {
                "interval_seconds": "the interval",
                "event_threshold": "the event threshold",
                "check_interval_seconds": "the check interval",
            }[key]
            return f"{key} must be a positive whole number ({what}); got {value!r}"
    if key == "cooldown_seconds" and (not _whole(value) or value < 0):
        return f"cooldown_seconds must be a whole number, 0 or more; got {value!r}"
    if key == "start_immediately" and not isinstance(value, bool):
        return f"start_immediately must be true or false; got {value!r}"
    if key == "threshold" and (isinstance(value, bool) or not isinstance(value, int | float)):
        return f"threshold must be a number (e.g. 0.3 for 30% drift); got {value!r}"
    if key in ("event_type", "collection_id", "condition_type", "metric") and (
        not isinstance(value, str) or not value
    ):
        return f"{key} must be a non-empty string; got {value!r}"
    return None
