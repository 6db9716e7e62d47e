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
