-- +goose Up
-- The platform's order-id search (exact or prefix) across all merchants: without
-- it the newest-first scan reads the whole log to find one order's attempts.
CREATE INDEX interface_messages_order ON interface_messages (order_id, at DESC, id DESC);
-- The state filter starts from the few calls in a state, then their attempts.
CREATE INDEX calls_state ON calls (state, merchant_id);

-- +goose Down
DROP INDEX calls_state;
DROP INDEX interface_messages_order;
