-- Index predicates and expressions both engines can match from the same query
-- text: a boolean column alone (PostgreSQL has no boolean = 1; SQLite uses a
-- partial index only when the query's term is the index's own expression) and
-- coalesce instead of SQLite's ifnull.
-- +goose Up
DROP INDEX invoices_needs_return;
CREATE INDEX invoices_needs_return ON invoices (merchant_id, requested_at DESC, id DESC) WHERE needs_return;
DROP INDEX invoice_lines_one_live;
CREATE UNIQUE INDEX invoice_lines_one_live ON invoice_lines (order_line_ref) WHERE live;
DROP INDEX platform_fee_statements_one_live;
CREATE UNIQUE INDEX platform_fee_statements_one_live ON platform_fee_statements (statement_ref) WHERE live;
DROP INDEX commission_rates_key;
CREATE UNIQUE INDEX commission_rates_key ON commission_rates (merchant_id, coalesce(product_ref, 0));

-- +goose Down
DROP INDEX invoices_needs_return;
CREATE INDEX invoices_needs_return ON invoices (merchant_id, requested_at DESC, id DESC) WHERE needs_return = 1;
DROP INDEX invoice_lines_one_live;
CREATE UNIQUE INDEX invoice_lines_one_live ON invoice_lines (order_line_ref) WHERE live = 1;
DROP INDEX platform_fee_statements_one_live;
CREATE UNIQUE INDEX platform_fee_statements_one_live ON platform_fee_statements (statement_ref) WHERE live = 1;
DROP INDEX commission_rates_key;
CREATE UNIQUE INDEX commission_rates_key ON commission_rates (merchant_id, ifnull(product_ref, 0));
