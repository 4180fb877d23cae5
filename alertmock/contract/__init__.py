"""The contract and what the engine derives from it.

`document` loads the OpenAPI document (its ``$ref``s into ``spec/`` resolved) and indexes what
requests need (vendors, operations, media types, methods per path); `schemas`, `xml` and
`negotiation` read and write bodies as the schemas say; `preferences` parses ``Prefer``;
`canned` answers from the contract itself (a documented example, a status) and `generation`
makes realistic data from a schema with Faker. Nothing here knows a vendor or a framework.
"""
