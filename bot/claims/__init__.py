"""Claims for problem deliveries: a damaged or wrong item, or a parcel that never came (on time,
late or lost), and what the shop offers for each. May import `bot.core`, `bot.profile`,
`bot.orders` and `bot.returns` (a claimed item must still be in its return window).
"""
