"""The Qt apps (kiosk, reception, template editor) and the madoguchi command line."""
