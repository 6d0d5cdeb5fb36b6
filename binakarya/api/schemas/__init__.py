"""Request and response shapes of the JSON API: one module per router, and common.py for what
several routers share.

Responses are built field by field in the routers from selector results, never by dumping a model,
so that no field reaches a public response without being named here. Nothing public names a maker.
Request bodies only bound what the database could not store (422); every business rule is the
services' (400 with per-field errors).
"""
