# Mail to a client's people about their projects, quotes and invoices.
# Each message has the same keys in src/locales/id/portal.ftl (a test compares them).

portal-open-project = Open the project
portal-review-quote = Review the quote
portal-view-pay-invoice = View and pay the invoice
portal-view-invoice = View the invoice

quote-sent-subject = Quote: { $title }
quote-sent-intro = { $studio } sent you a quote for { $project }: "{ $title }", { $total } in all.
quote-sent-next = Read the line items and the payment schedule, then accept or decline it in your client portal.
quote-sent-until = It is valid until { $until }.

invoice-sent-subject = Invoice { $number } from { $studio }
invoice-sent-intro = Invoice { $number } for { $title }: { $total }, due { $due }.
invoice-sent-next = The invoice is attached. You can pay it online from your client portal.

invoice-paid-subject = Payment received: invoice { $number }
invoice-paid-intro = We received the payment of invoice { $number } ({ $total }), { $how ->
    [transfer] by bank transfer
   *[online] online through { $gateway }
  }. Thank you.

invoice-due-subject = Invoice { $number } is due today
invoice-due-intro = A reminder: invoice { $number } for { $title } ({ $total }) is due today, { $due }.
invoice-late-subject = Invoice { $number } is a week overdue
invoice-late-intro = Invoice { $number } for { $title } ({ $total }) was due on { $due } and is still open. If you have paid it by transfer, reply to this mail so we can match it.

deliverable-subject = New deliverable: { $title }
deliverable-intro = Deliverable "{ $title }" version { $version } uploaded ({ $file }). Download it and approve it, or tell the studio what should change.

message-subject = New message from { $name }: { $project }
message-intro = { $name } wrote on { $project }:
project-event-quote_sent = Quote "{ $title }" sent
project-event-quote_withdrawn = Quote "{ $title }" withdrawn
project-event-quote_accepted = Quote "{ $title }" ({ $total }) accepted
project-event-quote_declined = Quote "{ $title }" ({ $total }) declined
project-event-quote_declined-reason = Quote "{ $title }" ({ $total }) declined: { $reason }
project-event-deliverable_uploaded = Deliverable "{ $title }" version { $version } uploaded ({ $file })
project-event-deliverable_approved = Deliverable "{ $title }" version { $version } approved
project-event-deliverable_changes_requested = Changes requested on "{ $title }" version { $version }: { $comment }
project-event-message = Message from { $name }
project-event-invoice_sent = Invoice { $number } sent: { $total }, due { $due }
project-event-invoice_paid_twice = Invoice { $number } was paid again online (order { $order }): refund it
project-event-invoice_paid-online = Invoice { $number } paid online through { $gateway }: { $total }
project-event-invoice_paid-transfer = Invoice { $number } paid by bank transfer: { $total }
project-event-invoice_refunded = The payment of invoice { $number } (order { $order }) was refunded: the invoice is open again
project-event-invoice_overdue = Invoice { $number } is overdue (due { $due })
project-event-invoice_reminder-due = Reminder mailed: invoice { $number } is due
project-event-invoice_reminder-late = Reminder mailed: invoice { $number } is a week overdue
project-event-invoice_void = Invoice { $number } voided
project-event-invoice_void-note = Invoice { $number } voided: { $note }
