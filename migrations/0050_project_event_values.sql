-- #43: a project's activity line keeps its values (quote title, invoice number,
-- amounts, dates…) beside the English summary, so each reader of the portal has it in
-- their own language. NULL for lines written before: shown as their summary.
ALTER TABLE project_events ADD COLUMN data TEXT;
