-- License activations as their owners see them (/dashboard/licenses): the name the app
-- gave the instance, when it was last seen by the license API, and the network it was
-- last seen from (an address truncated to its /24 or /48: no full address is kept).
ALTER TABLE license_activations ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE license_activations ADD COLUMN last_seen_at INTEGER;
ALTER TABLE license_activations ADD COLUMN last_network TEXT NOT NULL DEFAULT '';
UPDATE license_activations SET last_seen_at = created_at;

