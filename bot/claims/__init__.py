"""Claims for problem deliveries: a damaged or wrong item, or a parcel that never came (on time,
late or lost), what the shop offers for each, and the wording of it. May import `bot.core`,
`bot.profile`, `bot.text`, `bot.orders`, `bot.returns` (a claimed item must have been delivered)
and `bot.alerts` (a late or lost parcel raises one).
"""
