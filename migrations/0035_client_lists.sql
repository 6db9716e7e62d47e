-- Clients page by keyset (#41): newest first by (created_at, id).
CREATE INDEX clients_recent ON clients (created_at, id);
