# Surel untuk orang-orang klien tentang proyek, penawaran, dan faktur mereka.
# Setiap pesan punya kunci yang sama dengan src/locales/en/portal.ftl (sebuah tes membandingkannya).

portal-open-project = Buka proyek
portal-review-quote = Tinjau penawaran
portal-view-pay-invoice = Lihat dan bayar faktur
portal-view-invoice = Lihat faktur

quote-sent-subject = Penawaran: { $title }
quote-sent-intro = { $studio } mengirimkan penawaran untuk { $project }: "{ $title }", total { $total }.
quote-sent-next = Baca rincian item dan jadwal pembayarannya, lalu terima atau tolak di portal klien Anda.
quote-sent-until = Penawaran ini berlaku sampai { $until }.

invoice-sent-subject = Faktur { $number } dari { $studio }
invoice-sent-intro = Faktur { $number } untuk { $title }: { $total }, jatuh tempo { $due }.
invoice-sent-next = Faktur terlampir. Anda bisa membayarnya secara daring dari portal klien Anda.

invoice-paid-subject = Pembayaran diterima: faktur { $number }
invoice-paid-intro = Kami telah menerima pembayaran faktur { $number } ({ $total }), { $how ->
    [transfer] lewat transfer bank
   *[online] secara daring lewat { $gateway }
  }. Terima kasih.

invoice-due-subject = Faktur { $number } jatuh tempo hari ini
invoice-due-intro = Pengingat: faktur { $number } untuk { $title } ({ $total }) jatuh tempo hari ini, { $due }.
invoice-late-subject = Faktur { $number } sudah lewat jatuh tempo seminggu
invoice-late-intro = Faktur { $number } untuk { $title } ({ $total }) jatuh tempo pada { $due } dan belum dibayar. Jika Anda sudah membayarnya lewat transfer, balas email ini agar kami bisa mencocokkannya.

deliverable-subject = Hasil kerja baru: { $title }
deliverable-intro = Hasil kerja "{ $title }" versi { $version } telah diunggah ({ $file }). Unduh dan setujui, atau beri tahu studio apa yang perlu diubah.

message-subject = Pesan baru dari { $name }: { $project }
message-intro = { $name } menulis di { $project }:
project-event-quote_sent = Penawaran "{ $title }" dikirim
project-event-quote_withdrawn = Penawaran "{ $title }" ditarik
project-event-quote_accepted = Penawaran "{ $title }" ({ $total }) diterima
project-event-quote_declined = Penawaran "{ $title }" ({ $total }) ditolak
project-event-quote_declined-reason = Penawaran "{ $title }" ({ $total }) ditolak: { $reason }
project-event-deliverable_uploaded = Hasil kerja "{ $title }" versi { $version } diunggah ({ $file })
project-event-deliverable_approved = Hasil kerja "{ $title }" versi { $version } disetujui
project-event-deliverable_changes_requested = Perubahan diminta untuk "{ $title }" versi { $version }: { $comment }
project-event-message = Pesan dari { $name }
project-event-invoice_sent = Faktur { $number } dikirim: { $total }, jatuh tempo { $due }
project-event-invoice_paid_twice = Faktur { $number } dibayar lagi secara online (pesanan { $order }): kembalikan dananya
project-event-invoice_paid-online = Faktur { $number } dibayar online melalui { $gateway }: { $total }
project-event-invoice_paid-transfer = Faktur { $number } dibayar lewat transfer bank: { $total }
project-event-invoice_refunded = Pembayaran faktur { $number } (pesanan { $order }) dikembalikan: faktur terbuka lagi
project-event-invoice_overdue = Faktur { $number } lewat jatuh tempo (jatuh tempo { $due })
project-event-invoice_reminder-due = Pengingat dikirim: faktur { $number } jatuh tempo
project-event-invoice_reminder-late = Pengingat dikirim: faktur { $number } sudah seminggu lewat jatuh tempo
project-event-invoice_void = Faktur { $number } dibatalkan
project-event-invoice_void-note = Faktur { $number } dibatalkan: { $note }
