"""Messages to shoppers, producers and the OCOP office, sent through an outbox.

Operations queue a message in the same transaction as the change it reports, so a message exists
exactly when its change was committed; `flask notifications send` (or a timer running it) delivers
what is due, by SMTP when MAIL_SERVER is set and otherwise to the log, retrying failures later.
"""
