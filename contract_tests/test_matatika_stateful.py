"""Matatika: stateful sequences driven by the contract's OpenAPI links, every check, one mock session per run."""

from __future__ import annotations

from contract_tests._support import state_machine, stateful_settings

MatatikaStateMachine = state_machine("matatika")

TestMatatikaStateful = MatatikaStateMachine.TestCase
TestMatatikaStateful.settings = stateful_settings()
