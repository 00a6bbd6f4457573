"""Messaging channels: Twilio SMS and WhatsApp, Telegram, Slack, Messenger and a callback.

Each platform module holds a Rasa input channel (the signed webhook) and its output
channel (plain-text answers sent through the platform's API). `config` says which are on;
`plaintext` and `sms` render answers; `replies` reads a patient's "1" or "MORE" against
the bot's last turn. Only `config` and `limits` are imported outside the Rasa server (the
website uses them), so this package imports nothing heavy by itself.
"""
