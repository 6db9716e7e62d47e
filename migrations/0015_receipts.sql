-- Receipts: every paid order gets one, numbered without gaps per year
-- (ATL-2026-000123). The number is taken in the same transaction that marks the
-- order paid, so two payments can never share one or leave one out.

CREATE TABLE receipts (
    id        INTEGER PRIMARY KEY,
    order_id  INTEGER NOT NULL UNIQUE REFERENCES orders (id),
    -- the Asia/Jakarta year it was issued in, and its place in that year
    year      INTEGER NOT NULL,
    seq       INTEGER NOT NULL CHECK (seq >= 1),
    number    TEXT NOT NULL UNIQUE,
    issued_at INTEGER NOT NULL,
    UNIQUE (year, seq)
) STRICT;

-- Orders paid before receipts existed get theirs, in the order they were paid.
INSERT INTO receipts (order_id, year, seq, number, issued_at)
SELECT id, year, seq, printf('ATL-%04d-%06d', year, seq), paid_at
FROM (
    SELECT id, paid_at,
           CAST(strftime('%Y', paid_at + 25200, 'unixepoch') AS INTEGER) AS year,
           ROW_NUMBER() OVER (PARTITION BY strftime('%Y', paid_at + 25200, 'unixepoch') ORDER BY paid_at, id) AS seq
    FROM orders WHERE status IN ('paid', 'refunded') AND paid_at IS NOT NULL
);
