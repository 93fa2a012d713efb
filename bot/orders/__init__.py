"""Orders: finding an order and proving who owns it (order number plus email or ZIP, or a signed-in
customer token), the facts and wording of a status answer, and changes before shipment
(cancellation, a new address) with their wording. May import `bot.core`, `bot.profile`,
`bot.text` and `bot.shipping`.
"""
