"""The Rasa-free core: triage decisions and reading what patients write.

Triage rules, answer extraction, durations, the emergency detector, the input guard, the
clinic's details and the spaCy pipeline build. Nothing here imports Rasa, Sanic or
SQLAlchemy (checked by import-linter, `make lint`), so every decision is a plain,
table-tested function.
"""
