"""The Mixpeek guardrails policy pack's policies (``rules`` holds the plain functions)."""

from .policies import PACK_NAME, POLICIES
from .stack import current_stack, export_stack_from_configure

__all__ = ["PACK_NAME", "POLICIES", "current_stack", "export_stack_from_configure"]
