"""The control API under ``/__mock``: its own contract (`controls.yaml`), its handlers and its admin token.

Reset, seed, export and import state, faults, the clock, the journal, sessions, jobs, health and
readiness. `admin_token` checks (and, beyond loopback, generates) the bearer token that protects
it on a shared mock.
"""

from pathlib import Path

CONTROLS_SPEC = Path(__file__).with_name("controls.yaml")
