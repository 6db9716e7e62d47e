-- #43: what a delivery says to its buyer ("Invitation sent to @x for owner/repo…",
-- "Access withdrawn by the studio: …") keeps its values beside the English words, so
-- the dashboard writes it in the member's language. NULL: the words say it all (or
-- were written before).
ALTER TABLE deliveries ADD COLUMN data TEXT;
