# Mail about a member's orders and what they deliver.
# Each message has the same keys in src/locales/id/orders.ftl (a test compares them).

order-confirmed-subject = Order { $order } confirmed
order-confirmed-intro = Thank you! We received your payment of { $amount } for { $product }. Your order number is { $order }.
order-confirmed-note = We are delivering it now; you will get another message when it is ready.
order-confirmed-button = View your order

order-refunded-subject = Order { $order } refunded
order-refunded-intro = Your payment of { $amount } for { $product } was refunded. Access to it has been withdrawn.
order-refunded-button = View your order

license-key-subject = Your license key for { $product }
license-key-intro = Here is your license key for { $product }:
license-key-note = Keep it safe: it activates the product on your machines. You can always find it in your dashboard.
license-key-button = Open your dashboard

download-subject = Your download is ready: { $product }
download-intro-one = Thank you for buying { $product }. Download it here:
download-intro-many = Thank you for buying { $product }. It comes in { $files } files; download each here:
download-button = Download
download-file-button = Download { $file }
download-note = Each link works for 72 hours and { $max } downloads. You can get a fresh link any time from your dashboard.

access-ready-subject = { $product } is ready in your dashboard
access-ready-intro = { $product } is now active on your account.
access-ready-button = Open your dashboard

access-withdrawn-subject = Your access to { $product } was withdrawn
access-withdrawn-intro = We have withdrawn your access to { $product } (order { $order }).
access-withdrawn-reason = The reason: { $reason }
access-withdrawn-note = If you think this is a mistake, reply to this email and we will look into it.
access-withdrawn-button = See the order

manual-delivered-subject = { $product } is ready
manual-delivered-intro = Good news: { $product } has been delivered. A note from the studio:
manual-delivered-button = View your order

service-update-subject = { $product }: in progress
service-update-intro = The studio is working on { $product } (order { $order }). A note from the studio:
service-update-button = Follow your services

payment-instructions-subject = How to pay for order { $order }
payment-instructions-what = Your order { $order } for { $product } ({ $amount }) waits for your payment until { $deadline }.
payment-instructions-qris = Pay by scanning the QRIS code on your order page with any banking or e-wallet app.
payment-instructions-transfer = Transfer exactly { $amount } to the { $channel } { $number }{ $holder }.
payment-instructions-continue = Continue your payment with { $gateway }:
payment-instructions-open = Open your order
payment-instructions-go = Continue to payment
payment-instructions-note = Once the payment arrives we confirm it by mail and deliver your order. If you change your mind, let it lapse: nothing is charged.

payment-reminder-subject = Your order { $order } is still waiting for payment
payment-reminder-intro = A reminder: your order { $order } for { $product } ({ $amount }) waits for your payment until { $deadline }. After that it lapses.
payment-reminder-button = Pay now

payment-expired-subject = Order { $order } lapsed without payment
payment-expired-intro = The payment window of your order { $order } for { $product } ({ $amount }) closed before a payment arrived. Nothing was charged.
payment-failed-subject = The payment for order { $order } did not go through
payment-failed-intro = { $gateway } refused the payment of your order { $order } for { $product } ({ $amount }). Nothing was charged.
payment-again = You can order it again whenever you like:
payment-again-button = Try again

product-update-subject = { $product }: { $label } { $version } is out
product-update-intro = { $product } has an update: { $label } is now at version { $version }.
product-update-changes = What changed:
product-update-button = Download the new version
product-update-note = The link works for 72 hours and { $max } downloads. Your dashboard always has a fresh link to the latest version.
product-update-why = You get these because you bought this product.
product-update-stop = Stop product update emails

waitlist-joined-subject = You're on the waitlist for { $product }
waitlist-joined-intro = Thanks for your interest in { $product }. You're on the list: we will write to you once, when it is ready.
waitlist-joined-button = See what's coming
waitlist-joined-note = If you did not sign up, ignore this message; we will not write again unless the product launches.

waitlist-launch-subject = { $product } is here: { $percent } % off for waiting
waitlist-launch-intro = { $product } is on sale now, and you are among the first to know.
waitlist-launch-offer = As thanks for waiting: { $percent } % off with the code { $code }, until { $until }.
waitlist-launch-button = See it with your discount
waitlist-launch-note = You get this one mail because you joined the waitlist for it; there will be no others.

github-subject = GitHub access for { $product }
github-invited = Invitation sent to @{ $login } for { $repo }: accept it on GitHub
github-invited-again = A new invitation was sent to @{ $login } for { $repo }: accept it on GitHub within about 7 days
github-granted = @{ $login } has access to { $repo }
github-button = Open your GitHub invitations
github-note = Invitations expire after about 7 days. If yours does, contact us and we will send a new one.
