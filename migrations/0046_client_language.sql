-- #43: the language a client's invoices print in, chosen by staff on the client's page.
-- 'en' for every client made before it was kept.
ALTER TABLE clients ADD COLUMN lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('id', 'en'));
