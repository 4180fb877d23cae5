"""The ASGI layers every request meets around the contract's operations, outermost first.

`front` orders them in one layer: `edge` (the log line, the connection a drop fault closes),
`cors` (the one place that decides CORS headers) with `control_cors` (the control API's stricter
rule), `error_boundary` (what escapes below becomes the vendor's error), the dashboard's pages,
then `engine` (sessions, body limits, sniffed bodies, ``Prefer``, faults, the journal). They use
Starlette's public API only; what Connexion routed a request to comes from `alertmock.framework`.
"""
