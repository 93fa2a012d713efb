"""Shop-support domain: data, queries and policies. Knows nothing of Rasa.

One subpackage per capability; each `__init__` says what it owns and what it may import. From the
ground up: `core` (models, database, settings, clock, dates, formatting), `profile` (the files a shop
edits: profile and FAQ), `text`, `shipping`, `orders`, `returns`, `claims`, `handoff`, `shopdata`,
then the two web apps `desk` and `storefront`. A package imports only those below it.
"""
