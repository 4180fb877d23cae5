"""``alertmock diff BASE REVISION``: which change to the contract breaks a client.

Both sides are read (from files or from git), fully resolved with the line of every node kept
(`loading`), their operations lined up (`operations`), compared by OpenAPI semantics (`compare`,
`schemas`) into `Change`s whose ids and levels come from one rule table (`rules`), then filtered
and re-levelled by the reviewer's files (`policy`), marked with recorded traffic (`traffic`) and
printed (`reporters`). `command` ties them together.
"""
