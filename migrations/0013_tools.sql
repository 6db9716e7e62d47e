-- Member tools: a tool entry can be bound to a built-in tool implementation, and
-- every run is counted per person (or, for visitors, per IP address) per
-- Asia/Jakarta day, against the day's quota.

ALTER TABLE entries ADD COLUMN tool TEXT
    CHECK (tool IS NULL OR tool IN ('slug-generator', 'contrast-checker', 'invoice-generator'));
-- The demo's two tool pages get their tools.
UPDATE entries SET tool = slug WHERE kind = 'tool' AND slug IN ('slug-generator', 'contrast-checker');

CREATE TABLE tool_usage (
    -- 'user:42' for someone signed in, 'ip:203.0.113.9' for a visitor
    subject TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    -- the built-in tool (entries.tool)
    tool    TEXT NOT NULL,
    -- the Asia/Jakarta day: days since 1970-01-01 there
    day     INTEGER NOT NULL,
    uses    INTEGER NOT NULL CHECK (uses >= 0),
    PRIMARY KEY (subject, tool, day)
) STRICT, WITHOUT ROWID;
CREATE INDEX tool_usage_by_user ON tool_usage (user_id, day) WHERE user_id IS NOT NULL;
