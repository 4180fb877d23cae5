"""The app: its configuration, the runtime a request sees, the factory and the server's entry points.

`config` turns flags and ``ALERTMOCK_*`` variables into one frozen `Config`; `context` is what a
handler reaches through `current_state()` and friends; `factory` builds the runtime (contract,
state, clock, journal) and asks `alertmock.framework` for an app around it; `lifecycle` is the ASGI
lifespan (state file, readiness); `serving` is the import string uvicorn's workers and reloader
call; `bundle` finds the contract and fixtures; `gc_tuning` sets the collector for serving.
Importing this package imports nothing of Connexion.
"""
