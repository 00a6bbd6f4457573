"""Custom Rasa NLU components: thin adapters that run `bot/` logic inside the pipeline."""
