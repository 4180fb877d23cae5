"""Session state and everything that lives beside it.

`store` is the seam (`State`, `Sessions`) that handlers and controls see; `memory` and
`redis_backend` (with `redis_scripts.lua`) implement it. Around the records: `fixtures` (the
documents' examples that seed each session), `state_file` (saved at shutdown, loaded at
start-up), `journal` (what clients sent and got), `faults` (injected latency, errors, drops),
`clock` (the simulated time) and `ids` (seedable identifiers).
"""
