-- #43: a product (and each of its plans) is written in the studio's language and may
-- have a version in the other: its name, summary and description (a plan's name and
-- features), shown there once published. A product keeps one address in both
-- languages (`/en/products/<slug>`): its slug is also its checkout's, its
-- waitlist's and the API's name for it.
CREATE TABLE product_translations (
    product_id       INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    lang             TEXT NOT NULL CHECK (lang IN ('id', 'en')),
    name             TEXT NOT NULL,
    summary          TEXT NOT NULL DEFAULT '',
    description_md   TEXT NOT NULL DEFAULT '',
    description_html TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    updated_at       INTEGER NOT NULL,
    updated_by       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (product_id, lang)
) STRICT;

-- Shown with the product's version, when that is published.
CREATE TABLE plan_translations (
    plan_id    INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    lang       TEXT NOT NULL CHECK (lang IN ('id', 'en')),
    name       TEXT NOT NULL,
    -- one feature per line, as the plan's own
    features   TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (plan_id, lang)
) STRICT;
