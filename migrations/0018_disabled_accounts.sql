-- Staff can disable an account: it cannot sign in, its sessions end; staff keep
-- the reason. Enabling clears both.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
ALTER TABLE users ADD COLUMN disabled_reason TEXT;
