"""Stored conversations and staff records: our tables next to Rasa's tracker store.

Database models and migrations, the per-conversation summaries, the dashboard's queries and
transcripts, reviews, exports, retention and staff accounts. Plain SQLAlchemy: nothing here
imports Rasa or the web layer.
"""
