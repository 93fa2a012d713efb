"""What a shop edits about itself: the shop profile (`shop/profile.yml`) with the policy sections
parsed from it (shipping, claims, handoff and support days), and the FAQ knowledge base
(`shop/faq.yml`) with the training data made from it. May import `bot.core` only.
"""
