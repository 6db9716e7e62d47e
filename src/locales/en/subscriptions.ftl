# Mail about a member's subscriptions.
# Each message has the same keys in src/locales/id/subscriptions.ftl (a test compares them).

subscription-button = Your subscriptions
subscription-renew-button = Renew now

subscription-reminder-subject = { $when ->
    [tomorrow] { $product } renews tomorrow: renew to keep access
   *[later] { $product } ends in { $days } days
  }
subscription-reminder-intro = Your { $plan } plan of { $product } runs until { $end }. Renew now to keep your access without a gap; the new period starts when this one ends, so you lose no days.
subscription-reminder-note = If you would rather stop, do nothing: access ends a few days after the period does.

subscription-renewed-subject = { $product } renewed
subscription-renewed-intro = Thank you! Your { $plan } plan of { $product } is renewed until { $end }.

subscription-past-due-subject = { $product }: your subscription has lapsed
subscription-past-due-intro = Your { $plan } plan of { $product } ended on { $end }. You keep access until { $until } — renew before then to keep it.

subscription-expired-subject = { $product }: your subscription has ended
subscription-expired-intro = Your { $plan } plan of { $product } has ended and its access (web access, repository, license key) has been withdrawn. You can subscribe again at any time.

subscription-cancelled-subject = { $product }: subscription cancelled
subscription-cancelled-intro = Your { $plan } plan of { $product } is cancelled. You keep access until { $end }, and you can resume it until then.

subscription-upgraded-subject = { $product }: upgraded to { $plan }
subscription-upgraded-intro = Thank you! { $product } is now on the { $plan } plan, from today until { $end }; after that it renews at the { $plan } plan's price.

subscription-plan-changed-subject = { $product }: now on the { $plan } plan
subscription-plan-changed-intro = As you asked, { $product } moved to the { $plan } plan with this renewal. Renew it from your subscriptions to keep access.

subscription-paused-subject = { $product }: subscription paused
subscription-paused-intro = Your { $plan } plan of { $product } is paused until { $until }. Its access is withdrawn meanwhile and you get no reminders; it resumes by itself then, with the days left of your period (it now ends on { $end }). You can resume it earlier from your subscriptions.
