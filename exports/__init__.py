"""Asynchronous bulk exports: a project's search written to CSV, JSON Lines or Parquet by a
background worker, charged to its records quota, downloaded through expiring signed links."""
