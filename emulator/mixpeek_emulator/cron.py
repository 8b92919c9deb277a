"""A small parser of standard 5-field cron expressions and their next match in a time zone.

Fields: minute (0-59), hour (0-23), day of month (1-31), month (1-12 or JAN-DEC), day of week
(0-7, 0 and 7 both Sunday, or SUN-SAT). Each field is ``*``, a value, a range ``a-b``, any of
these with a step (``*/15``, ``1-30/2``, ``5/10`` = from 5 to the field's end), or a
comma-separated list of them. As in Vixie cron, when both day of month and day of week are
restricted (neither is ``*``) a day matches if either matches. Not supported (refused): the
``@daily``-style nicknames, six-field (seconds) expressions and Quartz's ``?``, ``L``, ``W``,
``#``.

Matching is on the wall clock of the trigger's time zone (``zoneinfo``): a local time skipped
by a daylight-saving change fires at the instant zoneinfo maps it to (fold 0), a repeated
one once (the first occurrence).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["CronError", "CronExpression", "parse"]

_MONTHS = {m: i + 1 for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"))}
_DAYS = {d: i for i, d in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))}
_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minute", 0, 59, {}), ("hour", 0, 23, {}), ("day of month", 1, 31, {}),
    ("month", 1, 12, _MONTHS), ("day of week", 0, 7, _DAYS),
)
#: How far ahead a match is looked for: an expression matching no day in this span (e.g.
#: ``0 0 30 2 *``) never fires, and is refused.
_HORIZON_DAYS = 366 * 5


class CronError(ValueError):
    """An expression this parser does not accept; the message says why."""


@dataclass(frozen=True)
class CronExpression:
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    days_any: bool
    weekdays_any: bool

    def _day_matches(self, day: datetime) -> bool:
        dom = day.day in self.days
        dow = (day.isoweekday() % 7) in self.weekdays
        if self.days_any or self.weekdays_any:
            return dom and dow
        return dom or dow

    def next_after(self, epoch: float, timezone: str) -> float | None:
        """The first matching minute strictly after ``epoch`` (seconds), or None when none
        comes within five years."""
        zone = ZoneInfo(timezone)
        local = datetime.fromtimestamp(epoch, zone).replace(tzinfo=None, second=0,
                                                            microsecond=0)
        candidate = local + timedelta(minutes=1)
        limit = local + timedelta(days=_HORIZON_DAYS)
        while candidate <= limit:
            if candidate.month not in self.months:
                year, month = candidate.year + candidate.month // 12, candidate.month % 12 + 1
                candidate = datetime(year, month, 1)
                continue
            if not self._day_matches(candidate):
                candidate = datetime(candidate.year, candidate.month, candidate.day) + \
                    timedelta(days=1)
                continue
            if candidate.hour not in self.hours:
                candidate = candidate.replace(minute=0) + timedelta(hours=1)
                continue
            if candidate.minute not in self.minutes:
                candidate += timedelta(minutes=1)
                continue
            found = candidate.replace(tzinfo=zone).astimezone(UTC).timestamp()
            if found > epoch:
                return found
            candidate += timedelta(minutes=1)
        return None


def _value(text: str, name: str, low: int, high: int, names: dict[str, int]) -> int:
    upper = text.upper()
    if upper in names:
        return names[upper]
    if not text.isdigit():
        raise CronError(f"{name} field: {text!r} is not a number"
                        + (f" or a name ({', '.join(names)})" if names else ""))
    value = int(text)
    if not low <= value <= high:
        raise CronError(f"{name} field: {value} is outside {low}-{high}")
    return value


def _field(text: str, name: str, low: int, high: int, names: dict[str, int]) -> set[int]:
    values: set[int] = set()
    for part in text.split(","):
        if not part:
            raise CronError(f"{name} field: empty list item in {text!r}")
        spec, slash, step_text = part.partition("/")
        step = 1
        if slash:
            if not step_text.isdigit() or int(step_text) == 0:
                raise CronError(f"{name} field: step {step_text!r} is not a positive number")
            step = int(step_text)
        if spec == "*":
            start, end = low, high
        elif "-" in spec:
            first, _, last = spec.partition("-")
            start = _value(first, name, low, high, names)
            end = _value(last, name, low, high, names)
            if start > end:
                raise CronError(f"{name} field: range {spec!r} runs backwards")
        else:
            start = _value(spec, name, low, high, names)
            end = high if slash else start
        values.update(range(start, end + 1, step))
    return values


def parse(expression: str) -> CronExpression:
    """Parse a 5-field expression; CronError says what is wrong."""
    parts = expression.split()
    if len(parts) != 5:
        raise CronError(
            f"{expression!r} has {len(parts)} fields; a cron expression has 5: "
            "minute hour day-of-month month day-of-week (e.g. '0 2 * * *')"
        )
    sets = [_field(text, name, low, high, names)
            for text, (name, low, high, names) in zip(parts, _FIELDS, strict=True)]
    weekdays = {d % 7 for d in sets[4]}
    return CronExpression(
        minutes=frozenset(sets[0]), hours=frozenset(sets[1]), days=frozenset(sets[2]),
        months=frozenset(sets[3]), weekdays=frozenset(weekdays),
        days_any=parts[2].startswith("*"), weekdays_any=parts[4].startswith("*"),
    )
