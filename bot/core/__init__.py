"""The ground floor: SQLAlchemy models, engines and sessions, settings from the environment, the
bot's clock, calendar dates in the shop's time zone, and how money and dates read in a message.
It imports nothing else of `bot`; every other package may import it.
"""
