"""Handing a conversation to a person: when and why (policy), the support hours and expected wait,
the transcript with secrets masked, the handoff rows and their changes (claimed, messages,
resolved, expired), replies on their way to the customer (`replies`), and the outbox that tells
other systems (alerts too). May import `bot.core`, `bot.profile`, `bot.orders`, `bot.privacy` and
`bot.alerts`.
"""
