"""Injected faults, configured through ``POST /_emulator/faults``.

The body replaces the whole configuration (``{}`` clears it; ``POST /_emulator/reset`` too)::

    {
      "seed": 7,                        # random seed; the same seed and request order
                                        # give the same faults (default 0)
      "rules": [                        # the first rule matching a request applies
        {
          "method": "POST",             # HTTP method; omitted = any
          "path": "/v1/clusters",       # exact path or glob ("/v1/clusters/*");
                                        # omitted = "/v1/*"
          "errors": {"503": 0.5,        # status -> probability; the request is not
                     "429": 0.25},      # handled and gets an ErrorResponse instead
          "commit_errors": {"503": 0.1},# status -> probability that the request IS
                                        # handled (and stored), and the client still gets
                                        # that error (a gateway failing after forwarding)
          "retry_after": 2,             # Retry-After seconds on injected 429s (default 1)
          "latency_ms": 150,            # delay added before the request is handled
          "drop_rate": 1.0,             # probability of "commit then drop": the request is
                                        # handled (and stored) but the connection is closed
                                        # without any response
          "times": 2                    # the rule matches only the next N matching
                                        # requests, then is skipped; omitted = no limit
        }
      ],
      "task_failure_rate": 1.0,         # probability that an execute run ends FAILED
      "task_failure_message": "...",    # the failed task's error (a default is provided)
      "task_partial_rate": 0.0,         # ... ends COMPLETED_WITH_ERRORS (results written,
      "task_partial_message": "...",    #     the message in llm_labeling_errors)
      "task_cancel_rate": 0.0,          # ... ends CANCELED
      "task_status": "SKIPPED",         # runs started while set end with this status
                                        # instead (after the outcome draw; any string: a
                                        # 1.3.1 status such as SKIPPED or UNKNOWN, or one no
                                        # SDK knows), with no error and no results; omitted
                                        # or null = the outcome rates decide
      "task_duration": 5.0,             # runs started while set take this long (seconds;
                                        # default: the --task-duration option)
      "enrich_failure_rate": 0.0        # share of the documents an enrichment reports failed
    }

Every matching request draws exactly two random numbers (error, then drop; ``errors`` and
``commit_errors`` share the error draw, in that order), and every execute one (FAILED, then
COMPLETED_WITH_ERRORS, then CANCELED take their shares of it), so a run with the same seed and
the same sequence of requests repeats.
"""

from __future__ import annotations

import fnmatch
import random
import threading
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["Decision", "FaultConfig", "FaultRule", "Faults", "TaskOutcome"]

DEFAULT_TASK_FAILURE = "Clustering failed: injected failure (mixpeek-emulator faults)"
DEFAULT_TASK_PARTIAL = "LLM labeling failed for some clusters: injected (mixpeek-emulator faults)"
CANCELED_MESSAGE = "Clustering run canceled: injected (mixpeek-emulator faults)"


class FaultRule(BaseModel):
    """Faults for the requests one route pattern matches."""

    model_config = ConfigDict(extra="forbid")

    method: str | None = Field(None, description="HTTP method; any when omitted.")
    path: str = Field("/v1/*", description="Exact path or glob pattern.")
    errors: dict[int, float] = Field(
        default_factory=dict, description="Injected status -> probability."
    )
    commit_errors: dict[int, float] = Field(
        default_factory=dict,
        description="Status -> probability of handling the request, then answering that error.",
    )
    retry_after: int = Field(1, ge=0, description="Retry-After seconds on injected 429s.")
    latency_ms: int = Field(0, ge=0, le=60_000, description="Added delay in milliseconds.")
    drop_rate: float = Field(0.0, ge=0.0, le=1.0, description="Commit-then-drop probability.")
    times: int | None = Field(None, ge=0, description="Matches left; unlimited when omitted.")

    @field_validator("errors", "commit_errors")
    @classmethod
    def _rates(cls, value: dict[int, float]) -> dict[int, float]:
        for status, rate in value.items():
            if not 400 <= status <= 599:
                raise ValueError(f"injected status must be 400-599, got {status}")
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"rate for {status} must be between 0 and 1, got {rate}")
        return value

    @model_validator(mode="after")
    def _total(self) -> FaultRule:
        if sum(self.errors.values()) + sum(self.commit_errors.values()) > 1.0 + 1e-9:
            raise ValueError("error rates (errors + commit_errors) add up to more than 1")
        return self

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return path == self.path or fnmatch.fnmatchcase(path, self.path)


class FaultConfig(BaseModel):
    """The whole fault configuration (the body of ``POST /_emulator/faults``)."""

    model_config = ConfigDict(extra="forbid")

    seed: int = Field(0, description="Random seed.")
    rules: list[FaultRule] = Field(default_factory=list, description="First match applies.")
    task_failure_rate: float = Field(0.0, ge=0.0, le=1.0, description="Runs that fail.")
    task_failure_message: str = Field(DEFAULT_TASK_FAILURE, description="Failed run's error.")
    task_partial_rate: float = Field(
        0.0, ge=0.0, le=1.0, description="Runs that end COMPLETED_WITH_ERRORS."
    )
    task_partial_message: str = Field(
        DEFAULT_TASK_PARTIAL, description="The errors of a COMPLETED_WITH_ERRORS run."
    )
    task_cancel_rate: float = Field(0.0, ge=0.0, le=1.0, description="Runs that end CANCELED.")
    task_status: str | None = Field(
        None, min_length=1, description="Status every run started while set ends with."
    )
    task_duration: float | None = Field(
        None, ge=0.0, le=3600.0, description="Duration of runs started while set (seconds)."
    )
    enrich_failure_rate: float = Field(
        0.0, ge=0.0, le=1.0, description="Share of an enrichment's documents reported failed."
    )

    @model_validator(mode="after")
    def _task_total(self) -> FaultConfig:
        rates = self.task_failure_rate + self.task_partial_rate + self.task_cancel_rate
        if rates > 1.0 + 1e-9:
            raise ValueError("task outcome rates add up to more than 1")
        return self


@dataclass(frozen=True)
class TaskOutcome:
    """How a run started now will end, and when."""

    status: str = "COMPLETED"
    message: str | None = None
    duration: float | None = None


@dataclass(frozen=True)
class Decision:
    """What to do to one request."""

    latency_s: float = 0.0
    error_status: int | None = None
    #: Handle the request, then answer ``error_status`` (set with it for commit_errors).
    commit_first: bool = False
    retry_after: int = 1
    drop: bool = False


class Faults:
    """The active configuration and its seeded random source (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.configure(FaultConfig())

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self._config = config.model_copy(deep=True)
            self._random = random.Random(config.seed)

    def current(self) -> dict[str, Any]:
        with self._lock:
            return self._config.model_dump(mode="json")

    def decide(self, method: str, path: str) -> Decision:
        with self._lock:
            rule = next(
                (r for r in self._config.rules if r.times != 0 and r.matches(method, path)),
                None,
            )
            if rule is None:
                return Decision()
            if rule.times is not None:
                rule.times -= 1
            error_roll, drop_roll = self._random.random(), self._random.random()
        status, commit_first, threshold = None, False, 0.0
        rates = [(s, r, False) for s, r in rule.errors.items()]
        rates += [(s, r, True) for s, r in rule.commit_errors.items()]
        for candidate, rate, after_commit in rates:
            threshold += rate
            if error_roll < threshold:
                status, commit_first = candidate, after_commit
                break
        return Decision(
            latency_s=rule.latency_ms / 1000,
            error_status=status,
            commit_first=commit_first,
            retry_after=rule.retry_after,
            drop=status is None and drop_roll < rule.drop_rate,
        )

    def task_outcome(self) -> TaskOutcome:
        """How the next run ends (one random draw) and its duration override."""
        with self._lock:
            config = self._config
            roll = self._random.random()
        duration = config.task_duration
        if config.task_status is not None:
            return TaskOutcome(config.task_status, None, duration)
        outcomes = (
            (config.task_failure_rate, "FAILED", config.task_failure_message),
            (config.task_partial_rate, "COMPLETED_WITH_ERRORS", config.task_partial_message),
            (config.task_cancel_rate, "CANCELED", CANCELED_MESSAGE),
        )
        threshold = 0.0
        for rate, status, message in outcomes:
            threshold += rate
            if roll < threshold:
                return TaskOutcome(status, message, duration)
        return TaskOutcome(duration=duration)

    def enrich_failure_rate(self) -> float:
        with self._lock:
            return self._config.enrich_failure_rate
