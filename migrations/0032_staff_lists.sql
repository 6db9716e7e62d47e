-- Staff lists page by keyset (#41): newest first by (created_at, id), each filter
-- through an index that also gives that order.
CREATE INDEX orders_recent ON orders (created_at, id);
CREATE INDEX orders_by_status ON orders (status, created_at, id);
CREATE INDEX orders_by_gateway ON orders (gateway, created_at, id);
CREATE INDEX orders_by_status_gateway ON orders (status, gateway, created_at, id);
-- An order found by the gateway's reference.
CREATE INDEX orders_reference ON orders (gateway_ref) WHERE gateway_ref IS NOT NULL;
-- People, newest first, and by role.
CREATE INDEX users_recent ON users (created_at, id);
CREATE INDEX users_by_role ON users (role, created_at, id);
-- Each kind's entries, newest publication (or last change of a draft) first.
CREATE INDEX entries_admin ON entries (kind, coalesce(publish_at, updated_at), id);
-- Subscriptions, soonest ending first (by status: subscriptions_due), and by product.
CREATE INDEX subscriptions_ending ON subscriptions (current_period_end, id);
CREATE INDEX subscriptions_by_product ON subscriptions (product_id, current_period_end, id);
-- A member's own orders, newest first.
CREATE INDEX orders_user_recent ON orders (user_id, created_at, id);
-- A product's waitlist, first come first (its page and its export).
CREATE INDEX waitlist_entries_queue ON waitlist_entries (product_id, created_at, id);
-- The overview's figures: paid orders by day and month, recent waitlist sign-ups.
CREATE INDEX orders_paid ON orders (status, paid_at);
CREATE INDEX waitlist_entries_recent ON waitlist_entries (created_at);
-- The inbox's two tabs, newest first (these replace `contact_messages_inbox`, whose
-- `created_at DESC` left the id order to a sort).
DROP INDEX contact_messages_inbox;
CREATE INDEX contact_messages_open ON contact_messages (created_at, id) WHERE handled_at IS NULL;
CREATE INDEX contact_messages_done ON contact_messages (created_at, id) WHERE handled_at IS NOT NULL;
-- Every client's projects, newest first.
CREATE INDEX projects_recent ON projects (created_at, id);
