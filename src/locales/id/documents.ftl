# Dokumen: kuitansi pesanan yang telah dibayar.
# Setiap pesan punya kunci yang sama dengan src/locales/en/documents.ftl (sebuah tes membandingkannya).

receipt-title = Kuitansi
receipt-tax-id = NPWP: { $tax_id }
receipt-paid-by = Dibayar oleh
receipt-paid-on = Dibayar pada
receipt-order = Pesanan
receipt-paid-with = Metode bayar
receipt-reference = Referensi
receipt-item = Uraian
receipt-amount = Jumlah
receipt-period = Periode: { $start } s.d. { $end }
receipt-total = Total dibayar ({ $currency })
receipt-tax-included = Termasuk PPN { $rate }: { $tax }
receipt-issued = Diterbitkan { $at } oleh { $studio }. Simpan untuk arsip Anda.

# Faktur proyek klien, dalam bahasa klien.
invoice-title = Faktur
invoice-draft = Draf
invoice-bill-to = Ditagihkan kepada
invoice-project = Proyek
invoice-issued = Diterbitkan
invoice-due = Jatuh tempo
invoice-status = Status
invoice-status-value = { $status ->
    [draft] Draf
    [sent] Terkirim
    [paid] Lunas
    [overdue] Lewat jatuh tempo
   *[void] Dibatalkan
  }
invoice-paid-on = Dibayar pada
invoice-item = Uraian
invoice-quantity = Jml
invoice-unit = Harga satuan
invoice-amount = Jumlah
invoice-total = Total (IDR)
invoice-tax-included = Termasuk PPN { $rate }: { $tax }
invoice-closing-paid = Lunas. Terima kasih. { $studio }
invoice-closing-void = Faktur ini telah dibatalkan: tidak ada yang perlu dibayar.
invoice-closing-open = Bayar daring dari portal klien Anda, atau lewat transfer bank dengan mencantumkan { $number }.

# The invoice tool's PDF (its other labels are the invoice's above).
tool-invoice-description = Keterangan
tool-invoice-unit-price = Harga satuan
tool-invoice-number-short = Nomor
tool-invoice-subtotal = Subtotal
tool-invoice-tax = Pajak ({ $rate })
tool-invoice-total = Total ({ $currency })
tool-invoice-notes = Catatan
