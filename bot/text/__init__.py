"""Reading what customers type, independent of any one capability: buttons matched to free text,
"did you mean" suggestions, the remedy or refund a customer types instead of pressing a button,
the buttons every flow shares, languages the bot does not speak, the in-repo spaCy pipeline with
its entity patterns, and the reply for a message that could not be handled. May import `bot.core`
and `bot.profile`.
"""
