-- Clients and coupons page by keyset (#41): newest first by (created_at, id).
CREATE INDEX clients_recent ON clients (created_at, id);
-- Coupons staff made (not the per-address early-bird codes), newest first.
CREATE INDEX coupons_staff_recent ON coupons (created_at, id) WHERE email IS NULL;
-- A member's downloads and keys, newest purchase first.
CREATE INDEX orders_user_paid ON orders (user_id, paid_at, id) WHERE status = 'paid';
