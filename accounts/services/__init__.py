"""Writes and workflows of accounts: applications, reviews, projects and their clients."""


class ServiceError(Exception):
    """A refused operation; the message says why, for the person who asked."""


class NotAllowed(ServiceError):
    """The actor may not do this (to this object)."""
