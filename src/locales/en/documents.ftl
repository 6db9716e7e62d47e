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
