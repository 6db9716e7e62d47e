-- An invoice can also be paid with PayPal, which does not settle rupiah: staff
-- give the amount in US dollars (cents) PayPal is to charge when they send it.
ALTER TABLE invoices ADD COLUMN usd_cents INTEGER CHECK (usd_cents IS NULL OR usd_cents > 0);
