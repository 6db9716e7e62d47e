# Documents: the receipt of a paid order.
# Each message has the same keys in src/locales/id/documents.ftl (a test compares them).

receipt-title = Receipt
receipt-tax-id = Tax id (NPWP): { $tax_id }
receipt-paid-by = Paid by
receipt-paid-on = Paid on
receipt-order = Order
receipt-paid-with = Paid with
receipt-reference = Reference
receipt-item = Item
receipt-amount = Amount
receipt-period = Period: { $start } to { $end }
receipt-total = Total paid ({ $currency })
receipt-tax-included = Includes PPN { $rate }: { $tax }
receipt-issued = Issued { $at } by { $studio }. Keep it for your records.

# The invoice of a client's project, in the client's language.
invoice-title = Invoice
invoice-draft = Draft
invoice-bill-to = Bill to
invoice-project = Project
invoice-issued = Issued
invoice-due = Due
invoice-status = Status
invoice-status-value = { $status ->
    [draft] Draft
    [sent] Sent
    [paid] Paid
    [overdue] Overdue
   *[void] Void
  }
invoice-paid-on = Paid on
invoice-item = Item
invoice-quantity = Qty
invoice-unit = Unit
invoice-amount = Amount
invoice-total = Total (IDR)
invoice-tax-included = Includes PPN { $rate }: { $tax }
invoice-closing-paid = Paid. Thank you. { $studio }
invoice-closing-void = This invoice was voided: nothing is owed on it.
invoice-closing-open = Pay online from your client portal, or by bank transfer quoting { $number }.

# The invoice tool's PDF (its other labels are the invoice's above).
tool-invoice-description = Description
tool-invoice-unit-price = Unit price
tool-invoice-number-short = Number
tool-invoice-subtotal = Subtotal
tool-invoice-tax = Tax ({ $rate })
tool-invoice-total = Total ({ $currency })
tool-invoice-notes = Notes
