-- Accounts at other providers linked to ours (Sign in with Google): the
-- provider's stable id for the person (`sub`), never their address, identifies them.
CREATE TABLE user_identities (
    provider   TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    -- the address the provider vouched for when linked (shown in the profile)
    email      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (provider, subject)
) STRICT;
CREATE INDEX user_identities_user ON user_identities (user_id);
