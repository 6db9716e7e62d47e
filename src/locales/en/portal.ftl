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
