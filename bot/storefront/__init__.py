"""The demo storefront: a shop page with the chat widget (rasa-webchat from web/node_modules).

`python -m bot.storefront` serves it (started by `make run`); see README "The chat widget".
"""
