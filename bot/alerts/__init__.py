"""Alerts for the shop's on-call person: raised in the same transaction as their cause (a
complaint, an angry or abusive message, a low rating, a late or lost parcel, one problem
reported by several customers), listed and acknowledged on the desk, and sent on through the
outbox by the desk (bot/handoff/alert_outbox.py). May import `bot.core` and `bot.profile` only.
"""
