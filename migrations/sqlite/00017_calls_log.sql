-- +goose Up
-- 生产接口消息 lists calls, not attempts: one row per call, its attempts on
-- the call's page. The call carries what the list shows and filters on, so a
-- page is answered from the calls table alone.
ALTER TABLE calls ADD COLUMN order_id TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN order_line_id TEXT NOT NULL DEFAULT '';
-- When the platform auto-unsubscribed the call's line (its create window ran
-- out): the line is closed, and 重新启动 is refused from then on.
ALTER TABLE calls ADD COLUMN closed_at DATETIME;

UPDATE calls SET (order_id, order_line_id) = (SELECT l.order_code, l.order_line_id FROM order_lines l WHERE l.id = calls.order_line_ref)
WHERE order_line_ref IS NOT NULL;
UPDATE calls SET closed_at = updated_at
WHERE state = 'failed' AND activity = 'newInstance'
  AND order_line_ref IN (SELECT id FROM order_lines WHERE status_reason = 'auto_unsubscribed');

-- Notifications linked an attempt; the log's pages are now the calls'.
UPDATE notifications SET link = '/interface-messages/' ||
    (SELECT m.call_ref FROM interface_messages m WHERE m.id = CAST(substr(notifications.link, 21) AS INTEGER))
WHERE link GLOB '/interface-messages/[0-9]*'
  AND EXISTS (SELECT 1 FROM interface_messages m WHERE m.id = CAST(substr(notifications.link, 21) AS INTEGER));

-- The list newest first (first attempt), per merchant and across merchants,
-- with each filter's column in front so a page is an index range.
CREATE INDEX calls_log_merchant ON calls (merchant_id, first_at DESC, id DESC);
CREATE INDEX calls_log_merchant_activity ON calls (merchant_id, activity, first_at DESC, id DESC);
CREATE INDEX calls_log_merchant_class ON calls (merchant_id, last_error, first_at DESC, id DESC);
CREATE INDEX calls_log_merchant_order ON calls (merchant_id, order_id, first_at DESC, id DESC);
CREATE INDEX calls_log_merchant_state ON calls (merchant_id, state, first_at DESC, id DESC);
CREATE INDEX calls_log_all ON calls (first_at DESC, id DESC);
CREATE INDEX calls_log_order ON calls (order_id, first_at DESC, id DESC);
CREATE INDEX calls_log_state ON calls (state, first_at DESC, id DESC);
CREATE INDEX calls_log_class ON calls (last_error, first_at DESC, id DESC);
-- Their prefixes are the two state indexes above: every query they served
-- (the counters, the due scan) ranges over those instead, and each index
-- less is one write less per call.
DROP INDEX calls_merchant_state;
DROP INDEX calls_state;

-- +goose Down
CREATE INDEX calls_state ON calls (state, merchant_id);
CREATE INDEX calls_merchant_state ON calls (merchant_id, state, id);
DROP INDEX calls_log_class;
DROP INDEX calls_log_state;
DROP INDEX calls_log_order;
DROP INDEX calls_log_all;
DROP INDEX calls_log_merchant_state;
DROP INDEX calls_log_merchant_order;
DROP INDEX calls_log_merchant_class;
DROP INDEX calls_log_merchant_activity;
DROP INDEX calls_log_merchant;
ALTER TABLE calls DROP COLUMN closed_at;
ALTER TABLE calls DROP COLUMN order_line_id;
ALTER TABLE calls DROP COLUMN order_id;
