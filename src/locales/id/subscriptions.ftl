# Surel tentang langganan anggota.
# Setiap pesan punya kunci yang sama dengan src/locales/en/subscriptions.ftl (sebuah tes membandingkannya).

subscription-button = Langganan Anda
subscription-renew-button = Perpanjang sekarang

subscription-reminder-subject = { $when ->
    [tomorrow] { $product } berakhir besok: perpanjang agar akses tetap aktif
   *[later] { $product } berakhir dalam { $days } hari
  }
subscription-reminder-intro = Paket { $plan } untuk { $product } berlaku sampai { $end }. Perpanjang sekarang agar akses Anda tidak terputus; periode baru dimulai saat periode ini berakhir, jadi tidak ada hari yang hilang.
subscription-reminder-note = Jika Anda ingin berhenti, tidak perlu melakukan apa pun: akses berakhir beberapa hari setelah periodenya selesai.

subscription-renewed-subject = { $product } telah diperpanjang
subscription-renewed-intro = Terima kasih! Paket { $plan } untuk { $product } telah diperpanjang sampai { $end }.

subscription-past-due-subject = { $product }: langganan Anda telah lewat jatuh tempo
subscription-past-due-intro = Paket { $plan } untuk { $product } berakhir pada { $end }. Akses Anda tetap aktif sampai { $until } — perpanjang sebelum itu agar tetap aktif.

subscription-expired-subject = { $product }: langganan Anda telah berakhir
subscription-expired-intro = Paket { $plan } untuk { $product } telah berakhir dan aksesnya (akses web, repositori, kunci lisensi) telah dicabut. Anda bisa berlangganan lagi kapan saja.

subscription-cancelled-subject = { $product }: langganan dibatalkan
subscription-cancelled-intro = Paket { $plan } untuk { $product } telah dibatalkan. Akses Anda tetap aktif sampai { $end }, dan Anda bisa melanjutkannya kembali sampai saat itu.

subscription-upgraded-subject = { $product }: ditingkatkan ke { $plan }
subscription-upgraded-intro = Terima kasih! { $product } kini memakai paket { $plan }, mulai hari ini sampai { $end }; setelah itu diperpanjang dengan harga paket { $plan }.

subscription-plan-changed-subject = { $product }: kini memakai paket { $plan }
subscription-plan-changed-intro = Sesuai permintaan Anda, { $product } pindah ke paket { $plan } pada perpanjangan ini. Perpanjang dari halaman langganan Anda agar akses tetap aktif.

subscription-paused-subject = { $product }: langganan dijeda
subscription-paused-intro = Paket { $plan } untuk { $product } dijeda sampai { $until }. Selama itu aksesnya dicabut dan Anda tidak menerima pengingat; setelahnya langganan berlanjut dengan sendirinya, dengan sisa hari periode Anda (kini berakhir pada { $end }). Anda bisa melanjutkannya lebih awal dari halaman langganan Anda.
