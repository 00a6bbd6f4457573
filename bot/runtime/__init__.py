"""Running the assistant: the command line, model training and the process supervisor.

This is the only layer that knows how the pieces are started: it writes Rasa's endpoint and
credential files, starts Rasa, the action server and the website, and trains models.
"""
