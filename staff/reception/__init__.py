"""The reception terminal (`madoguchi staff`): queue, record, identity check, status, reprint,
export, paper import by data QR, call board and measurement totals. See docs/reception.md."""
