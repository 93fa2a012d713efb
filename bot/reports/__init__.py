"""How the shop's support is doing: what became of each conversation session (`outcomes`, kept
up to date by the tracker store as events are saved) and the figures over a date range
(`summary`), and the customers' own ratings (`surveys`); a low rating or an angry message raises
an alert. May import `bot.core`, `bot.profile` and `bot.alerts`.
"""
