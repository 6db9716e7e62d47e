-- The GitHub account a github_invite delivery actually invited, and to which
-- repository: revocation removes exactly that account, whatever the member's
-- profile says by then (they can change it at any time).
ALTER TABLE deliveries ADD COLUMN github_repo TEXT;
ALTER TABLE deliveries ADD COLUMN github_login TEXT;
ALTER TABLE deliveries ADD COLUMN github_user_id INTEGER;
CREATE INDEX deliveries_github_grant ON deliveries (github_repo, github_user_id) WHERE github_user_id IS NOT NULL;
