"""Writes and workflows of accounts: applications, reviews, projects and their clients.

They refuse with the errors of core.errors (a code, a status and a message for the person
who asked), as every layer does."""
