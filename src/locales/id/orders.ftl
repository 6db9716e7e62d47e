# Surel tentang pesanan anggota dan apa yang dikirimkannya.
# Setiap pesan punya kunci yang sama dengan src/locales/en/orders.ftl (sebuah tes membandingkannya).

order-confirmed-subject = Pesanan { $order } dikonfirmasi
order-confirmed-intro = Terima kasih! Kami telah menerima pembayaran Anda sebesar { $amount } untuk { $product }. Nomor pesanan Anda { $order }.
order-confirmed-note = Pesanan Anda sedang kami kirimkan; Anda akan menerima pesan lagi setelah siap.
order-confirmed-button = Lihat pesanan Anda

order-refunded-subject = Pesanan { $order } telah dikembalikan dananya
order-refunded-intro = Pembayaran Anda sebesar { $amount } untuk { $product } telah dikembalikan. Akses Anda ke produk ini telah dicabut.
order-refunded-button = Lihat pesanan Anda

license-key-subject = Kunci lisensi Anda untuk { $product }
license-key-intro = Berikut kunci lisensi Anda untuk { $product }:
license-key-note = Simpan baik-baik: kunci ini mengaktifkan produk di perangkat Anda. Anda selalu bisa menemukannya di dasbor Anda.
license-key-button = Buka dasbor Anda

download-subject = Unduhan Anda siap: { $product }
download-intro-one = Terima kasih telah membeli { $product }. Unduh di sini:
download-intro-many = Terima kasih telah membeli { $product }. Produk ini terdiri dari { $files } berkas; unduh masing-masing di sini:
download-button = Unduh
download-file-button = Unduh { $file }
download-note = Setiap tautan berlaku selama 72 jam dan untuk { $max } kali unduh. Anda bisa mendapatkan tautan baru kapan saja dari dasbor Anda.

access-ready-subject = { $product } sudah siap di dasbor Anda
access-ready-intro = { $product } kini aktif di akun Anda.
access-ready-button = Buka dasbor Anda

access-withdrawn-subject = Akses Anda ke { $product } telah dicabut
access-withdrawn-intro = Kami telah mencabut akses Anda ke { $product } (pesanan { $order }).
access-withdrawn-reason = Alasannya: { $reason }
access-withdrawn-note = Jika menurut Anda ini keliru, balas email ini dan kami akan memeriksanya.
access-withdrawn-button = Lihat pesanan

manual-delivered-subject = { $product } sudah siap
manual-delivered-intro = Kabar baik: { $product } telah dikirimkan. Catatan dari studio:
manual-delivered-button = Lihat pesanan Anda

service-update-subject = { $product }: sedang dikerjakan
service-update-intro = Studio sedang mengerjakan { $product } (pesanan { $order }). Catatan dari studio:
service-update-button = Ikuti layanan Anda

payment-instructions-subject = Cara membayar pesanan { $order }
payment-instructions-what = Pesanan Anda { $order } untuk { $product } ({ $amount }) menunggu pembayaran sampai { $deadline }.
payment-instructions-qris = Bayar dengan memindai kode QRIS di halaman pesanan Anda memakai aplikasi bank atau dompet digital apa pun.
payment-instructions-transfer = Transfer tepat { $amount } ke { $channel } { $number }{ $holder }.
payment-instructions-continue = Lanjutkan pembayaran Anda dengan { $gateway }:
payment-instructions-open = Buka pesanan Anda
payment-instructions-go = Lanjutkan ke pembayaran
payment-instructions-note = Begitu pembayaran masuk, kami mengonfirmasinya lewat email dan mengirimkan pesanan Anda. Jika Anda berubah pikiran, biarkan saja lewat waktu: tidak ada yang ditagih.

payment-reminder-subject = Pesanan Anda { $order } masih menunggu pembayaran
payment-reminder-intro = Pengingat: pesanan Anda { $order } untuk { $product } ({ $amount }) menunggu pembayaran sampai { $deadline }. Setelah itu pesanan kedaluwarsa.
payment-reminder-button = Bayar sekarang

payment-expired-subject = Pesanan { $order } kedaluwarsa tanpa pembayaran
payment-expired-intro = Batas waktu pembayaran pesanan Anda { $order } untuk { $product } ({ $amount }) telah lewat sebelum pembayaran masuk. Tidak ada yang ditagih.
payment-failed-subject = Pembayaran pesanan { $order } tidak berhasil
payment-failed-intro = { $gateway } menolak pembayaran pesanan Anda { $order } untuk { $product } ({ $amount }). Tidak ada yang ditagih.
payment-again = Anda bisa memesannya lagi kapan saja:
payment-again-button = Coba lagi

product-update-subject = { $product }: { $label } { $version } telah rilis
product-update-intro = Ada pembaruan untuk { $product }: { $label } kini di versi { $version }.
product-update-changes = Yang berubah:
product-update-button = Unduh versi baru
product-update-note = Tautan ini berlaku selama 72 jam dan untuk { $max } kali unduh. Dasbor Anda selalu punya tautan baru ke versi terbaru.
product-update-why = Anda menerima email ini karena telah membeli produk ini.
product-update-stop = Berhenti menerima email pembaruan produk

waitlist-joined-subject = Anda masuk daftar tunggu { $product }
waitlist-joined-intro = Terima kasih atas minat Anda pada { $product }. Anda sudah masuk daftar: kami akan menulis kepada Anda sekali saja, saat produknya siap.
waitlist-joined-button = Lihat yang akan datang
waitlist-joined-note = Jika Anda tidak mendaftar, abaikan pesan ini; kami tidak akan menulis lagi kecuali produknya diluncurkan.

waitlist-launch-subject = { $product } sudah hadir: diskon { $percent } % karena Anda menunggu
waitlist-launch-intro = { $product } kini sudah dijual, dan Anda termasuk yang pertama mengetahuinya.
waitlist-launch-offer = Sebagai terima kasih karena sudah menunggu: diskon { $percent } % dengan kode { $code }, sampai { $until }.
waitlist-launch-button = Lihat dengan diskon Anda
waitlist-launch-note = Anda menerima email ini sekali saja karena mendaftar di daftar tunggunya; tidak akan ada email lain.

github-subject = Akses GitHub untuk { $product }
github-invited = Undangan telah dikirim ke @{ $login } untuk { $repo }: terima undangannya di GitHub
github-invited-again = Undangan baru telah dikirim ke @{ $login } untuk { $repo }: terima undangannya di GitHub dalam waktu sekitar 7 hari
github-granted = @{ $login } sudah punya akses ke { $repo }
github-button = Buka undangan GitHub Anda
github-note = Undangan kedaluwarsa setelah sekitar 7 hari. Jika undangan Anda kedaluwarsa, hubungi kami dan kami akan mengirim yang baru.
