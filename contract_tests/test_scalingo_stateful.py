"""Scalingo: stateful sequences driven by the contract's OpenAPI links, every check, one mock session per run."""

from __future__ import annotations

from contract_tests._support import state_machine, stateful_settings

ScalingoStateMachine = state_machine("scalingo")

TestScalingoStateful = ScalingoStateMachine.TestCase
TestScalingoStateful.settings = stateful_settings()
