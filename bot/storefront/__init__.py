"""The demo storefront: a shop page with the chat widget (rasa-webchat from web/node_modules).

`python -m bot.storefront` serves it (started by `make run`); see README "The chat widget". May
import `bot.core`, `bot.profile`, `bot.orders` (the signed-in customer token) and `bot.shopdata`
(the demo customers).
"""
