-- Product images: a cover (cards, the product page, link previews, search
-- results) and a small gallery, both picked from staff's uploads (/uploads/...).

ALTER TABLE products ADD COLUMN cover_image TEXT NOT NULL DEFAULT '';
-- one /uploads/ path per line, in display order
ALTER TABLE products ADD COLUMN gallery TEXT NOT NULL DEFAULT '';
