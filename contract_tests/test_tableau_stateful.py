"""Tableau: stateful sequences driven by the contract's OpenAPI links, every check, one mock session per run."""

from __future__ import annotations

from contract_tests._support import state_machine, stateful_settings

TableauStateMachine = state_machine("tableau")

TestTableauStateful = TableauStateMachine.TestCase
TestTableauStateful.settings = stateful_settings()
