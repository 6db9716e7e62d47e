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
