-- Product files staff upload: several per product (the kit, its documentation),
-- each with versions. Download links serve a file's current version (its
-- highest `seq`); old versions are kept until staff delete them.

CREATE TABLE product_files (
    id         INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    label      TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX product_files_product ON product_files (product_id);

CREATE TABLE product_file_versions (
    id            INTEGER PRIMARY KEY,
    file_id       INTEGER NOT NULL REFERENCES product_files (id),
    -- 1, 2, 3 … per file; the highest is the current version
    seq           INTEGER NOT NULL CHECK (seq >= 1),
    -- what staff call it ("1.2.0"); "1", "2" … when they leave it empty
    version       TEXT NOT NULL,
    -- the path inside the private storage folder
    storage_path  TEXT NOT NULL,
    -- the name the buyer's browser saves it under
    original_name TEXT NOT NULL,
    -- unknown (NULL) only for files named by hand before uploads existed, until the next start measures them
    bytes         INTEGER,
    sha256        TEXT,
    changelog_md  TEXT NOT NULL DEFAULT '',
    uploaded_by   INTEGER REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    UNIQUE (file_id, seq)
) STRICT;

-- "Send update": one row per version sent; each buyer is mailed once per version.
CREATE TABLE product_updates (
    id          INTEGER PRIMARY KEY,
    version_id  INTEGER NOT NULL UNIQUE REFERENCES product_file_versions (id),
    sent_by     INTEGER REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    finished_at INTEGER
) STRICT;

CREATE TABLE product_update_mails (
    version_id INTEGER NOT NULL REFERENCES product_file_versions (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (version_id, user_id)
) STRICT;

-- Members can turn product-update mail off (profile, or the mail's unsubscribe link).
ALTER TABLE users ADD COLUMN product_update_mails INTEGER NOT NULL DEFAULT 1 CHECK (product_update_mails IN (0, 1));

-- A link serves one file of the order's product (NULL: links from before, the product's first file).
ALTER TABLE download_links ADD COLUMN file_id INTEGER REFERENCES product_files (id);

-- Products that named a file in storage by hand keep it, as version 1 of their file.
INSERT INTO product_files (product_id, label, created_at)
SELECT id, 'Download', updated_at FROM products
WHERE delivery_kind = 'email_file' AND coalesce(json_extract(delivery_config, '$.file'), '') <> '';

INSERT INTO product_file_versions (file_id, seq, version, storage_path, original_name, created_at)
SELECT f.id, 1, '1', json_extract(p.delivery_config, '$.file'),
       -- the part after the last '/'
       replace(json_extract(p.delivery_config, '$.file'),
               rtrim(json_extract(p.delivery_config, '$.file'), replace(json_extract(p.delivery_config, '$.file'), '/', '')), ''),
       p.updated_at
FROM product_files f JOIN products p ON p.id = f.product_id;

UPDATE products SET delivery_config = json_remove(delivery_config, '$.file')
WHERE json_extract(delivery_config, '$.file') IS NOT NULL;
