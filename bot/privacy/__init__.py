"""A customer's right to be forgotten: erase their conversations, handoffs and outbox payloads
(`forget.forget_customer`), leaving the shop's own records (orders). May import `bot.core`.
"""
