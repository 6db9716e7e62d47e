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
