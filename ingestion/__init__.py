"""How platform data arrives: the platform's JSON Lines exports (`ingest`, format:
docs/ingestion.md) and the synthetic platform (`seed_platform`). It writes the data apps
(catalog, moderation, compliance) and sits above them; nothing below imports it."""
