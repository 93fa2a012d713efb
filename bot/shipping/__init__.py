"""Shipping: options and prices for a destination, dispatch and delivery dates, places and
addresses as customers type them, shipping questions read from free text, and the carriers'
tracking pages. May import `bot.core` and `bot.profile`.
"""
