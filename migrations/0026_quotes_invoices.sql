-- migrate: foreign_keys off
-- Quotes and milestone invoices (#14 items 3, 4 and 7). A quote lists line items
-- and splits its total over the project's milestones (30 / 40 / 30 %); when the
-- client accepts it (who, when, from which address is kept), each milestone with
-- a share gets a draft invoice. Invoices are numbered when sent, without gaps per
-- Jakarta year (INV-2026-0001), under the sending transaction's write lock.
--
-- An invoice is paid online through an order (the one payment path): `orders`
-- gets `invoice_id`, and its `product_id` may be empty for such a payment. SQLite
-- cannot relax NOT NULL in place, so `orders` is rebuilt the documented way.

CREATE TABLE quotes (
    id             INTEGER PRIMARY KEY,
    project_id     INTEGER NOT NULL REFERENCES projects (id),
    title          TEXT NOT NULL,
    notes_md       TEXT NOT NULL DEFAULT '',
    notes_html     TEXT NOT NULL DEFAULT '',
    total_idr      INTEGER NOT NULL CHECK (total_idr > 0),
    valid_until    INTEGER,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'accepted', 'declined', 'withdrawn')),
    sent_at        INTEGER,
    decided_at     INTEGER,
    decided_by     INTEGER REFERENCES users (id),
    decided_ip     TEXT,
    decline_reason TEXT NOT NULL DEFAULT '',
    created_by     INTEGER REFERENCES users (id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX quotes_project ON quotes (project_id, created_at DESC);

CREATE TABLE quote_items (
    id          INTEGER PRIMARY KEY,
    quote_id    INTEGER NOT NULL REFERENCES quotes (id),
    position    INTEGER NOT NULL,
    description TEXT NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity >= 1),
    unit_idr    INTEGER NOT NULL CHECK (unit_idr >= 0),
    amount_idr  INTEGER NOT NULL CHECK (amount_idr >= 0),
    UNIQUE (quote_id, position)
) STRICT;

-- The payment schedule: a share of the total per milestone (basis points).
CREATE TABLE quote_schedule (
    id           INTEGER PRIMARY KEY,
    quote_id     INTEGER NOT NULL REFERENCES quotes (id),
    milestone_id INTEGER NOT NULL REFERENCES milestones (id),
    share_bp     INTEGER NOT NULL CHECK (share_bp > 0 AND share_bp <= 10000),
    amount_idr   INTEGER NOT NULL CHECK (amount_idr >= 0),
    UNIQUE (quote_id, milestone_id)
) STRICT;

CREATE TABLE invoices (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects (id),
    milestone_id INTEGER REFERENCES milestones (id),
    quote_id     INTEGER REFERENCES quotes (id),
    -- given when the invoice is sent: the Jakarta year and its place in it
    number       TEXT UNIQUE,
    year         INTEGER,
    seq          INTEGER CHECK (seq >= 1),
    title        TEXT NOT NULL,
    -- the total, tax included; the PPN share of it at the rate of the day it was made
    total_idr    INTEGER NOT NULL CHECK (total_idr > 0),
    tax_rate_bp  INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate_bp >= 0),
    tax_idr      INTEGER NOT NULL DEFAULT 0 CHECK (tax_idr >= 0),
    due_on       INTEGER,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'paid', 'overdue', 'void')),
    sent_at      INTEGER,
    paid_at      INTEGER,
    -- 'online' (an order paid it) or 'transfer' (staff marked it), with staff's note
    paid_via     TEXT CHECK (paid_via IN ('online', 'transfer')),
    paid_note    TEXT NOT NULL DEFAULT '',
    paid_order_id INTEGER,
    voided_at    INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (year, seq),
    CHECK ((number IS NULL) = (status = 'draft'))
) STRICT;
CREATE INDEX invoices_project ON invoices (project_id, id);
CREATE INDEX invoices_open ON invoices (status, due_on) WHERE status IN ('sent', 'overdue');

CREATE TABLE invoice_items (
    id          INTEGER PRIMARY KEY,
    invoice_id  INTEGER NOT NULL REFERENCES invoices (id),
    position    INTEGER NOT NULL,
    description TEXT NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity >= 1),
    unit_idr    INTEGER NOT NULL CHECK (unit_idr >= 0),
    amount_idr  INTEGER NOT NULL CHECK (amount_idr >= 0),
    UNIQUE (invoice_id, position)
) STRICT;

-- A project's activity, newest first on its pages (quote accepted, invoice sent
-- or paid, deliverables, messages): written in the transaction of the change.
CREATE TABLE project_events (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id),
    at         INTEGER NOT NULL,
    actor_id   INTEGER REFERENCES users (id),
    kind       TEXT NOT NULL,
    summary    TEXT NOT NULL
) STRICT;
CREATE INDEX project_events_project ON project_events (project_id, at DESC, id DESC);

CREATE TABLE orders_new (
    id            INTEGER PRIMARY KEY,
    public_id     TEXT NOT NULL UNIQUE,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    product_id    INTEGER REFERENCES products (id),
    product_name  TEXT NOT NULL,
    amount        INTEGER NOT NULL CHECK (amount >= 0),
    currency      TEXT NOT NULL CHECK (currency IN ('IDR', 'USD')),
    gateway       TEXT NOT NULL CHECK (gateway IN ('midtrans', 'paypal', 'ipaymu', 'sandbox')),
    gateway_ref   TEXT,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'failed', 'expired', 'cancelled', 'refunded')),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    paid_at       INTEGER,
    refunded_at   INTEGER,
    gateway_capture_id     TEXT,
    plan_id                INTEGER REFERENCES plans (id),
    renews_subscription_id INTEGER REFERENCES subscriptions (id),
    period_start           INTEGER,
    period_end             INTEGER,
    coupon_id     INTEGER REFERENCES coupons (id),
    discount      INTEGER NOT NULL DEFAULT 0 CHECK (discount >= 0),
    invoice_id    INTEGER REFERENCES invoices (id),
    CHECK ((product_id IS NULL) <> (invoice_id IS NULL))
) STRICT;

INSERT INTO orders_new (id, public_id, user_id, product_id, product_name, amount, currency, gateway, gateway_ref,
                        status, created_at, updated_at, paid_at, refunded_at, gateway_capture_id, plan_id,
                        renews_subscription_id, period_start, period_end, coupon_id, discount)
SELECT id, public_id, user_id, product_id, product_name, amount, currency, gateway, gateway_ref,
       status, created_at, updated_at, paid_at, refunded_at, gateway_capture_id, plan_id,
       renews_subscription_id, period_start, period_end, coupon_id, discount
FROM orders;

DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;

CREATE INDEX orders_user ON orders (user_id, created_at DESC);
CREATE INDEX orders_admin ON orders (status, gateway, created_at DESC);
CREATE INDEX orders_gateway_ref ON orders (gateway, gateway_ref);
CREATE UNIQUE INDEX orders_gateway_capture ON orders (gateway, gateway_capture_id) WHERE gateway_capture_id IS NOT NULL;
CREATE INDEX orders_coupon ON orders (coupon_id, status, created_at) WHERE coupon_id IS NOT NULL;
CREATE INDEX orders_invoice ON orders (invoice_id) WHERE invoice_id IS NOT NULL;
