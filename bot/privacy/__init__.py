"""A customer's privacy: secrets masked wherever a message is kept (`secrets`), conversation events
saved without proofs, tokens or secrets (`stored_events`), and the right to be forgotten
(`forget.forget_customer`), leaving the shop's own records (orders). May import `bot.core` and
`bot.orders`.
"""
