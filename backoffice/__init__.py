"""The back-office service: ingest, queue, status, templates, export, audit, accounts."""
