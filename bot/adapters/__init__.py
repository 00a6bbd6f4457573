"""Adapters between Rasa and the rest of `bot`: channels and NLU components.

Messaging channels, the website's socket.io channel and the custom NLU components only
translate; decisions stay in
`bot.core` (the action server's adapters are in the top-level `actions/` package, where
Rasa's SDK expects them).
"""
