"""The kiosk outbox and the sync worker that pushes to the back office. No Qt."""
