"""Occupational-rehabilitation assistant: everything that is not Rasa configuration.

The Rasa layer (`domain.yml`, `data/`, `actions/`) stays thin; decisions, settings, the
spaCy pipeline build and the process supervisor live here, testable without Rasa.
"""
