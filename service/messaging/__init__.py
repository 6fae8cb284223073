"""Telling someone something: the outbox, its sender, the mail relay and neutral templates.

Any area writes a message with `outbox.enqueue` in its own transaction; the worker's outbox
tick hands claimed rows to `sender`, which renders the template and passes it to `mailer`.
Who may still receive a message is asked of the `Recipients` the worker wires in, so this
package knows no domain area.
"""
