"""Hardware adapters: PC/SC card readers, QR sources, virtual devices. No Qt."""
