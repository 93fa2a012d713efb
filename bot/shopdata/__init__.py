"""Filling the shop database: the fixed reference orders 100001-100008, the generated demo shop,
and the import of a shop's real data from CSV files. May import `bot.core`, `bot.profile`
(the shipping holidays), `bot.shipping` (business days) and `bot.orders` (order numbers).
"""
