# Mail: the frame every message shares, and the messages about a person's account.
# Each message has the same keys in src/locales/id/mail.ftl (a test compares them).

mail-greeting = Hi { $name },
mail-greeting-anyone = Hi there,
mail-paste-link = Or paste this link into your browser:

verify-email-subject = Welcome to { $studio }: please confirm your email
verify-email-intro = Thanks for creating an account. Please confirm that this is your email address:
verify-email-button = Confirm my email
verify-email-note = The link works once and expires in 24 hours. If you did not sign up, ignore this message and nothing will happen.

already-registered-subject = You already have an account with { $studio }
already-registered-intro = Someone (hopefully you) tried to create an account with this email address, but you already have one.
already-registered-button = Sign in
already-registered-note = Forgot your password? Choose a new one at { $forgot }. If this was not you, you can ignore this message.

reset-password-subject = Reset your { $studio } password
reset-password-intro = We received a request to reset your password. Choose a new one here:
reset-password-button = Choose a new password
reset-password-note = The link works once and expires in 1 hour. Resetting signs you out everywhere else. If you did not ask for this, ignore this message: your password stays as it is.

reset-unknown-subject = Password reset requested for { $studio }
reset-unknown-intro = Someone asked to reset a { $studio } password for this email address, but there is no account with it.
reset-unknown-button = Create an account
reset-unknown-note = If you did not ask for this, you can ignore this message.

password-changed-subject = Your { $studio } password was changed
password-changed-intro = The password of your { $studio } account was just changed, and every other device was signed out.
password-changed-note = If this was not you, choose a new password at { $forgot } right away and tell us by replying to this message.

confirm-new-email-subject = Confirm your new email for { $studio }
confirm-new-email-intro = You asked to use this address for your { $studio } account. Confirm it here:
confirm-new-email-button = Use this address
confirm-new-email-note = The link works once and expires in 24 hours. Until you open it, nothing changes. If you did not ask for this, ignore this message.

email-change-requested-subject = A change of your { $studio } email was requested
email-change-requested-intro = Someone signed in to your account asked to move it to { $new_email }. Nothing changes unless the link sent there is opened.
email-change-requested-note = If this was not you, change your password from your profile right away.

email-in-use-subject = This address already has an account with { $studio }
email-in-use-intro = Someone asked to move their { $studio } account to this address, but it already has an account of its own, so nothing was changed.
email-in-use-button = Sign in

email-changed-subject = Your { $studio } email was changed
email-changed-intro = Your { $studio } account now uses { $new_email }; this address will get no more mail from us.
email-changed-note = If this was not you, reply to this message at once.

account-deleted-subject = Your { $studio } account was deleted
account-deleted-done = { $by ->
    [staff] The studio deleted your { $studio } account
   *[self] As you asked, we deleted your { $studio } account
  }: your profile is gone, you were signed out everywhere, and what your purchases gave access to (downloads, license keys, repositories) has ended.
account-deleted-kept = We keep your orders and receipts, without your name or address, because the law asks us to keep our books. { $by ->
    [staff] If you did not expect this, reply to this message.
   *[self] If this was not you, reply to this message at once.
  }

choose-password-button = Choose your password
staff-link-note = The link works once and expires in 72 hours. After that, use "Forgot your password?" on the sign-in page.

access-granted-subject = Choose a password for your { $studio } account
access-granted-intro = The studio gave the { $studio } account of this address { $role ->
    [staff] staff
    [client] client
   *[member] member
  } access. The address was never confirmed, so any password set for it before no longer works: choose yours here.

account-opened-subject = Your { $studio } account is ready
account-opened-intro = { $studio } opened an account for you ({ $role ->
    [staff] staff
    [client] client
   *[member] member
  } access) with this address. Choose your password to sign in.

client-portal-subject = Your client portal for { $client }
client-invite-intro = The studio has opened a client portal for { $client }: your projects, deliverables, invoices and messages in one place.
client-invite-note = The link works once and expires in 72 hours. After that, ask the studio for a new invitation.
client-added-intro = You now have access to { $client }'s client portal with your existing account.
client-added-button = Open the client portal

# Mail to the studio's team (ADMIN_NOTIFY_EMAIL and the recipients staff chose): in the
# language of the account with that address, else the studio's.
staff-greeting-name = team
staff-open-order = Open the order
staff-decide = Decide on the order page
staff-open-inbox = Open the inbox
staff-no-subject = (no subject)
staff-manual-task-subject = To deliver: { $product } ({ $order })
staff-manual-task-intro = { $buyer } paid for { $product }. It is delivered by hand.
staff-partial-refund-subject = Partly refunded: { $product } ({ $order })
staff-partial-refund-intro = A payment of { $product } ({ $order }) was partly refunded at the gateway:
staff-new-order-subject = New order: { $product } ({ $order })
staff-new-order-intro = { $buyer } ({ $email }) paid { $amount } for { $product } through { $gateway }.
staff-contact-subject = New message from { $name }: { $subject }
staff-contact-intro = { $name } <{ $email }> wrote (message #{ $id }):
staff-contact-after = Reply to the sender's address directly; mark the message handled in the inbox when done.
