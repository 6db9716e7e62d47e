-- Services (manual deliveries) as their buyers follow them (/dashboard/services): each
-- step staff move them through — in progress, delivered — with a note the buyer sees.
-- Received is the order being paid; a service's stage is its newest update's.
CREATE TABLE service_updates (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    stage      TEXT NOT NULL CHECK (stage IN ('in_progress', 'delivered')),
    note       TEXT NOT NULL,
    staff_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX service_updates_order ON service_updates (order_id, id);

-- Deliveries already made by hand: their message is the delivered step's note.
INSERT INTO service_updates (order_id, stage, note, created_at)
SELECT order_id, 'delivered', detail, coalesce(delivered_at, updated_at)
FROM deliveries WHERE kind = 'manual' AND status = 'delivered';
