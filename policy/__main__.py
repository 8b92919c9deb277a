"""The Mixpeek guardrails policy pack (policies: ``mixpeek_policy``; see README.md)."""

from mixpeek_policy import PACK_NAME, POLICIES, export_stack_from_configure
from pulumi_policy import EnforcementLevel, PolicyPack

# So the stack-aware policies see the stack also when the CLI starts the pack directly
# (run-pack), not only through the language host (mixpeek_policy/stack.py).
export_stack_from_configure()

PolicyPack(
    name=PACK_NAME,
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=POLICIES,
    description="House rules for Mixpeek clusters: ownership, naming, budgets, production safety.",
)
