"""Ingestion of the platform's JSON Lines exports (format: docs/ingestion.md)."""
