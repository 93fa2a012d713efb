"""Operator tooling: training cache and starting the servers. Not imported by the bot."""
