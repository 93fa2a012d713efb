"""Returns and refunds: which items may go back and why, return reasons in the customer's words,
starting a return (the RMA), where a refund stands, and the wording of all of it. May import
`bot.core`, `bot.profile`, `bot.text`, `bot.shipping` and `bot.orders`.
"""
