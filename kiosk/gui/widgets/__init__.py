"""Touch widgets of the resident kiosk: PIN pad, 50音 keyboard, signature pad, field editors."""
