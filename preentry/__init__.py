"""The smartphone pre-entry site: a stateless web form that ends in a QR code."""
