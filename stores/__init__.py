"""Rasa stores of our own, named in the endpoints files (`type: stores.<module>.<Class>`)."""
