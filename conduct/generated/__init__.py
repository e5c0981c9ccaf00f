"""Generated data: the demo trust (`seed_demo`) and the trust-scale load (`generate_load_data`).

These are the two writers that work around the services: they write whole
histories at once, dated in the past, as no user could. They sit above every
app (they import them all) and nothing in the product imports them; only their
commands, the tests and bench/ do.
"""
