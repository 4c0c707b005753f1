-- Same as SQLite's 00025: boolean columns alone as index predicates and
-- coalesce in the commission key, so one query text matches on both engines.
-- +goose Up
DROP INDEX IF EXISTS invoices_needs_return;
CREATE INDEX invoices_needs_return ON invoices (merchant_id, requested_at DESC, id DESC) WHERE needs_return;
DROP INDEX IF EXISTS invoice_lines_one_live;
CREATE UNIQUE INDEX invoice_lines_one_live ON invoice_lines (order_line_ref) WHERE live;
DROP INDEX IF EXISTS platform_fee_statements_one_live;
CREATE UNIQUE INDEX platform_fee_statements_one_live ON platform_fee_statements (statement_ref) WHERE live;
DROP INDEX IF EXISTS commission_rates_key;
CREATE UNIQUE INDEX commission_rates_key ON commission_rates (merchant_id, coalesce(product_ref, 0));

-- +goose Down
SELECT 1;
