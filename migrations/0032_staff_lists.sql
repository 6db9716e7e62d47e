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
