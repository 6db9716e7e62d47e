# Surel: bingkai yang sama untuk setiap pesan, dan pesan-pesan tentang akun seseorang.
# Setiap pesan punya kunci yang sama dengan src/locales/en/mail.ftl (sebuah tes membandingkannya).

mail-greeting = Halo { $name },
mail-greeting-anyone = Halo,
mail-paste-link = Atau salin tautan ini ke peramban Anda:

verify-email-subject = Selamat datang di { $studio }: mohon konfirmasi email Anda
verify-email-intro = Terima kasih telah membuat akun. Mohon konfirmasi bahwa ini alamat email Anda:
verify-email-button = Konfirmasi email saya
verify-email-note = Tautan ini hanya berlaku sekali dan kedaluwarsa dalam 24 jam. Jika Anda tidak mendaftar, abaikan pesan ini dan tidak akan terjadi apa-apa.

already-registered-subject = Anda sudah punya akun di { $studio }
already-registered-intro = Seseorang (semoga Anda sendiri) mencoba membuat akun dengan alamat email ini, padahal Anda sudah punya akun.
already-registered-button = Masuk
already-registered-note = Lupa kata sandi? Buat yang baru di { $forgot }. Jika ini bukan Anda, abaikan saja pesan ini.

reset-password-subject = Atur ulang kata sandi { $studio } Anda
reset-password-intro = Kami menerima permintaan untuk mengatur ulang kata sandi Anda. Buat kata sandi baru di sini:
reset-password-button = Buat kata sandi baru
reset-password-note = Tautan ini hanya berlaku sekali dan kedaluwarsa dalam 1 jam. Setelah kata sandi diatur ulang, Anda keluar dari semua perangkat lain. Jika Anda tidak memintanya, abaikan pesan ini: kata sandi Anda tetap seperti semula.

reset-unknown-subject = Permintaan atur ulang kata sandi untuk { $studio }
reset-unknown-intro = Seseorang meminta untuk mengatur ulang kata sandi { $studio } bagi alamat email ini, tetapi tidak ada akun dengan alamat tersebut.
reset-unknown-button = Buat akun
reset-unknown-note = Jika Anda tidak memintanya, abaikan saja pesan ini.

password-changed-subject = Kata sandi { $studio } Anda telah diubah
password-changed-intro = Kata sandi akun { $studio } Anda baru saja diubah, dan semua perangkat lain telah dikeluarkan.
password-changed-note = Jika ini bukan Anda, segera buat kata sandi baru di { $forgot } dan beri tahu kami dengan membalas pesan ini.

confirm-new-email-subject = Konfirmasi email baru Anda untuk { $studio }
confirm-new-email-intro = Anda meminta agar alamat ini dipakai untuk akun { $studio } Anda. Konfirmasi di sini:
confirm-new-email-button = Pakai alamat ini
confirm-new-email-note = Tautan ini hanya berlaku sekali dan kedaluwarsa dalam 24 jam. Selama belum dibuka, tidak ada yang berubah. Jika Anda tidak memintanya, abaikan pesan ini.

email-change-requested-subject = Ada permintaan untuk mengganti email { $studio } Anda
email-change-requested-intro = Seseorang yang masuk ke akun Anda meminta agar akun ini dipindahkan ke { $new_email }. Tidak ada yang berubah kecuali tautan yang dikirim ke sana dibuka.
email-change-requested-note = Jika ini bukan Anda, segera ganti kata sandi dari profil Anda.

email-in-use-subject = Alamat ini sudah punya akun di { $studio }
email-in-use-intro = Seseorang meminta agar akun { $studio } miliknya dipindahkan ke alamat ini, tetapi alamat ini sudah punya akun sendiri, jadi tidak ada yang diubah.
email-in-use-button = Masuk

email-changed-subject = Email { $studio } Anda telah diganti
email-changed-intro = Akun { $studio } Anda sekarang memakai { $new_email }; alamat ini tidak akan menerima email lagi dari kami.
email-changed-note = Jika ini bukan Anda, segera balas pesan ini.

account-deleted-subject = Akun { $studio } Anda telah dihapus
account-deleted-done = { $by ->
    [staff] Studio telah menghapus akun { $studio } Anda
   *[self] Sesuai permintaan Anda, kami telah menghapus akun { $studio } Anda
  }: profil Anda sudah tidak ada, Anda telah dikeluarkan dari semua perangkat, dan akses yang diberikan oleh pembelian Anda (unduhan, kunci lisensi, repositori) telah berakhir.
account-deleted-kept = Kami tetap menyimpan pesanan dan kuitansi Anda, tanpa nama atau alamat Anda, karena hukum mewajibkan kami menyimpan pembukuan. { $by ->
    [staff] Jika Anda tidak mengira hal ini, balas pesan ini.
   *[self] Jika ini bukan Anda, segera balas pesan ini.
  }

choose-password-button = Buat kata sandi Anda
staff-link-note = Tautan ini hanya berlaku sekali dan kedaluwarsa dalam 72 jam. Setelah itu, pakai "Lupa kata sandi?" di halaman masuk.

access-granted-subject = Buat kata sandi untuk akun { $studio } Anda
access-granted-intro = Studio memberi akun { $studio } dengan alamat ini akses { $role ->
    [staff] staf
    [client] klien
   *[member] anggota
  }. Alamat ini belum pernah dikonfirmasi, jadi kata sandi yang pernah dibuat untuknya tidak berlaku lagi: buat kata sandi Anda di sini.

account-opened-subject = Akun { $studio } Anda sudah siap
account-opened-intro = { $studio } telah membuatkan akun untuk Anda (akses { $role ->
    [staff] staf
    [client] klien
   *[member] anggota
  }) dengan alamat ini. Buat kata sandi Anda untuk masuk.

client-portal-subject = Portal klien Anda untuk { $client }
client-invite-intro = Studio telah membuka portal klien untuk { $client }: proyek, hasil kerja, faktur, dan pesan Anda di satu tempat.
client-invite-note = Tautan ini hanya berlaku sekali dan kedaluwarsa dalam 72 jam. Setelah itu, mintalah undangan baru kepada studio.
client-added-intro = Kini Anda punya akses ke portal klien { $client } dengan akun Anda yang sudah ada.
client-added-button = Buka portal klien

# Mail to the studio's team (ADMIN_NOTIFY_EMAIL and the recipients staff chose): in the
# language of the account with that address, else the studio's.
staff-greeting-name = tim
staff-open-order = Buka pesanan
staff-decide = Putuskan di halaman pesanan
staff-open-inbox = Buka kotak masuk
staff-no-subject = (tanpa subjek)
staff-manual-task-subject = Untuk dikirim: { $product } ({ $order })
staff-manual-task-intro = { $buyer } membayar { $product }. Produk ini dikirim secara manual.
staff-partial-refund-subject = Dana dikembalikan sebagian: { $product } ({ $order })
staff-partial-refund-intro = Pembayaran { $product } ({ $order }) dikembalikan sebagian di gateway:
staff-new-order-subject = Pesanan baru: { $product } ({ $order })
staff-new-order-intro = { $buyer } ({ $email }) membayar { $amount } untuk { $product } lewat { $gateway }.
staff-contact-subject = Pesan baru dari { $name }: { $subject }
staff-contact-intro = { $name } <{ $email }> menulis (pesan #{ $id }):
staff-contact-after = Balas langsung ke alamat pengirim; tandai pesan sudah ditangani di kotak masuk setelah selesai.
