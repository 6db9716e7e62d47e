-- GitHub identity for github_invite deliveries. The numeric id survives renames.
ALTER TABLE users ADD COLUMN github_username TEXT;
ALTER TABLE users ADD COLUMN github_user_id INTEGER;
