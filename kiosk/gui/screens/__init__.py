"""One module per kiosk screen; each renders the flow's state and sends it events."""
