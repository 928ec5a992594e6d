"""The audit trail: every create, update and delete of a domain record (django-simple-history).

Services set who made a change with :func:`mizan.audit.history.attribute_change`; the
history middleware does it for web requests. :mod:`mizan.audit.history` reads it back.
"""
