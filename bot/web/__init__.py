"""The clinic's website and staff pages: one Sanic app, built by `app.create_app`.

Sanic is what Rasa already runs on, so the site adds no web framework of its own. The
factory takes the settings rather than reading the environment, so tests build the app
with whatever settings they need. Templates are Jinja2 with autoescaping on: text typed
by patients is shown on staff pages and must never become markup.
"""
