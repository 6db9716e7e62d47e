-- The second security review (#39).
-- What staff must look at on an order and decide (a coupon used past its limit, a
-- partial refund); cleared when they decide.
ALTER TABLE orders ADD COLUMN staff_notice TEXT;
-- How much the gateway reported refunded, in the order's currency (partial refunds
-- change nothing else until staff decide).
ALTER TABLE orders ADD COLUMN refunded_amount INTEGER NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0);
-- A held deliverable follows its milestone's latest invoice.
CREATE INDEX invoices_milestone ON invoices (milestone_id, id) WHERE milestone_id IS NOT NULL;
