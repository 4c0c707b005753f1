-- +goose Up
-- The first page of the order list shows the totals of the filtered set. With
-- 00007's tables those cost in proportion to the merchant's history: a large
-- merchant's unfiltered totals summed ~14,000 month groups per request, a
-- 30-day range ~5,000 day groups and the partial days' ~1,000 rows, a heavy
-- customer's ~7,000 rows. Three narrower rollups, kept by triggers in the
-- same transaction as the change like 00007's, answer the single filters
-- from a number of groups that does not grow with the history:
--
--   order_totals_all   the whole history by every filter dimension (no time,
--                      no order id): no filter, or any mix of type, status,
--                      charging mode, supervision and product. Its groups
--                      grow with the catalogue, not with the lines.
--   order_totals_time  by UTC day ('d') and UTC hour ('h') only: a time range
--                      without other filters is whole days, the hours of the
--                      partial days at its ends, and the rows of at most one
--                      partial hour at either end.
--   order_totals_buyer by customer only: a customer filter alone.
--
-- Combinations of a time range or an order id with other filters still read
-- 00007's tables.
CREATE TABLE order_totals_all (
    merchant_id    INTEGER NOT NULL,
    currency       TEXT NOT NULL,
    product_ref    INTEGER NOT NULL,
    order_type     TEXT NOT NULL,
    status         TEXT NOT NULL,
    charging_mode  TEXT NOT NULL,
    supervision    TEXT NOT NULL,
    n              INTEGER NOT NULL,
    amount         INTEGER NOT NULL,
    PRIMARY KEY (merchant_id, currency, product_ref, order_type, status, charging_mode, supervision)
) WITHOUT ROWID;

CREATE TABLE order_totals_time (
    merchant_id  INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    grain        TEXT NOT NULL,   -- 'd': bucket is substr(ordered_at, 1, 10); 'h': substr(ordered_at, 1, 13); '' if unknown
    bucket       TEXT NOT NULL,
    n            INTEGER NOT NULL,
    amount       INTEGER NOT NULL,
    PRIMARY KEY (merchant_id, currency, grain, bucket)
) WITHOUT ROWID;

CREATE TABLE order_totals_buyer (
    merchant_id  INTEGER NOT NULL,
    buyer_ref    INTEGER NOT NULL,   -- 0 for lines without a buyer
    currency     TEXT NOT NULL,
    n            INTEGER NOT NULL,
    amount       INTEGER NOT NULL,
    PRIMARY KEY (merchant_id, buyer_ref, currency)
) WITHOUT ROWID;

INSERT INTO order_totals_all (merchant_id, currency, product_ref, order_type, status, charging_mode, supervision, n, amount)
SELECT merchant_id, currency, product_ref, order_type, status, charging_mode, supervision, count(*), sum(amount)
FROM order_lines GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO order_totals_time (merchant_id, currency, grain, bucket, n, amount)
SELECT merchant_id, currency, 'd', coalesce(substr(ordered_at, 1, 10), ''), count(*), sum(amount) FROM order_lines GROUP BY 1, 2, 3, 4;
INSERT INTO order_totals_time (merchant_id, currency, grain, bucket, n, amount)
SELECT merchant_id, currency, 'h', coalesce(substr(ordered_at, 1, 13), ''), count(*), sum(amount) FROM order_lines GROUP BY 1, 2, 3, 4;
INSERT INTO order_totals_buyer (merchant_id, buyer_ref, currency, n, amount)
SELECT merchant_id, coalesce(buyer_ref, 0), currency, count(*), sum(amount) FROM order_lines GROUP BY 1, 2, 3;

-- +goose StatementBegin
CREATE TRIGGER order_lines_rollups_insert AFTER INSERT ON order_lines BEGIN
    INSERT INTO order_totals_all VALUES (NEW.merchant_id, NEW.currency, NEW.product_ref, NEW.order_type, NEW.status,
        NEW.charging_mode, NEW.supervision, 1, NEW.amount)
    ON CONFLICT DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
    INSERT INTO order_totals_time VALUES (NEW.merchant_id, NEW.currency, 'd', coalesce(substr(NEW.ordered_at, 1, 10), ''), 1, NEW.amount)
    ON CONFLICT DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
    INSERT INTO order_totals_time VALUES (NEW.merchant_id, NEW.currency, 'h', coalesce(substr(NEW.ordered_at, 1, 13), ''), 1, NEW.amount)
    ON CONFLICT DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
    INSERT INTO order_totals_buyer VALUES (NEW.merchant_id, coalesce(NEW.buyer_ref, 0), NEW.currency, 1, NEW.amount)
    ON CONFLICT DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER order_lines_rollups_delete AFTER DELETE ON order_lines BEGIN
    UPDATE order_totals_all SET n = n - 1, amount = amount - OLD.amount
    WHERE merchant_id = OLD.merchant_id AND currency = OLD.currency AND product_ref = OLD.product_ref AND order_type = OLD.order_type
      AND status = OLD.status AND charging_mode = OLD.charging_mode AND supervision = OLD.supervision;
    DELETE FROM order_totals_all
    WHERE merchant_id = OLD.merchant_id AND currency = OLD.currency AND product_ref = OLD.product_ref AND order_type = OLD.order_type
      AND status = OLD.status AND charging_mode = OLD.charging_mode AND supervision = OLD.supervision AND n = 0;
    UPDATE order_totals_time SET n = n - 1, amount = amount - OLD.amount
    WHERE merchant_id = OLD.merchant_id AND currency = OLD.currency AND grain = 'd' AND bucket = coalesce(substr(OLD.ordered_at, 1, 10), '');
    DELETE FROM order_totals_time
    WHERE merchant_id = OLD.merchant_id AND currency = OLD.currency AND grain = 'd' AND bucket = coalesce(substr(OLD.ordered_at, 1, 10), '')
      AND n = 0;
    UPDATE order_totals_time SET n = n - 1, amount = amount - OLD.amount
    WHERE merchant_id = OLD.merchant_id AND currency = OLD.currency AND grain = 'h' AND bucket = coalesce(substr(OLD.ordered_at, 1, 13), '');
    DELETE FROM order_totals_time
    WHERE merchant_id = OLD.merchant_id AND currency = OLD.currency AND grain = 'h' AND bucket = coalesce(substr(OLD.ordered_at, 1, 13), '')
      AND n = 0;
    UPDATE order_totals_buyer SET n = n - 1, amount = amount - OLD.amount
    WHERE merchant_id = OLD.merchant_id AND buyer_ref = coalesce(OLD.buyer_ref, 0) AND currency = OLD.currency;
    DELETE FROM order_totals_buyer
    WHERE merchant_id = OLD.merchant_id AND buyer_ref = coalesce(OLD.buyer_ref, 0) AND currency = OLD.currency AND n = 0;
END;
-- +goose StatementEnd

-- One update trigger per rollup, each on its own columns: a status change
-- (the common update) rewrites order_totals_all only.
-- +goose StatementBegin
CREATE TRIGGER order_lines_rollups_update_all AFTER UPDATE OF merchant_id, currency, product_ref, order_type, status,
    charging_mode, supervision, amount ON order_lines BEGIN
    UPDATE order_totals_all SET n = n - 1, amount = amount - OLD.amount
    WHERE merchant_id = OLD.merchant_id AND currency = OLD.currency AND product_ref = OLD.product_ref AND order_type = OLD.order_type
      AND status = OLD.status AND charging_mode = OLD.charging_mode AND supervision = OLD.supervision;
    DELETE FROM order_totals_all
    WHERE merchant_id = OLD.merchant_id AND currency = OLD.currency AND product_ref = OLD.product_ref AND order_type = OLD.order_type
      AND status = OLD.status AND charging_mode = OLD.charging_mode AND supervision = OLD.supervision AND n = 0;
    INSERT INTO order_totals_all VALUES (NEW.merchant_id, NEW.currency, NEW.product_ref, NEW.order_type, NEW.status,
        NEW.charging_mode, NEW.supervision, 1, NEW.amount)
    ON CONFLICT DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER order_lines_rollups_update_time AFTER UPDATE OF merchant_id, currency, ordered_at, amount ON order_lines BEGIN
    UPDATE order_totals_time SET n = n - 1, amount = amount - OLD.amount
    WHERE merchant_id = OLD.merchant_id AND currency = OLD.currency AND grain = 'd' AND bucket = coalesce(substr(OLD.ordered_at, 1, 10), '');
    DELETE FROM order_totals_time
    WHERE merchant_id = OLD.merchant_id AND currency = OLD.currency AND grain = 'd' AND bucket = coalesce(substr(OLD.ordered_at, 1, 10), '')
      AND n = 0;
    UPDATE order_totals_time SET n = n - 1, amount = amount - OLD.amount
    WHERE merchant_id = OLD.merchant_id AND currency = OLD.currency AND grain = 'h' AND bucket = coalesce(substr(OLD.ordered_at, 1, 13), '');
    DELETE FROM order_totals_time
    WHERE merchant_id = OLD.merchant_id AND currency = OLD.currency AND grain = 'h' AND bucket = coalesce(substr(OLD.ordered_at, 1, 13), '')
      AND n = 0;
    INSERT INTO order_totals_time VALUES (NEW.merchant_id, NEW.currency, 'd', coalesce(substr(NEW.ordered_at, 1, 10), ''), 1, NEW.amount)
    ON CONFLICT DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
    INSERT INTO order_totals_time VALUES (NEW.merchant_id, NEW.currency, 'h', coalesce(substr(NEW.ordered_at, 1, 13), ''), 1, NEW.amount)
    ON CONFLICT DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER order_lines_rollups_update_buyer AFTER UPDATE OF merchant_id, currency, buyer_ref, amount ON order_lines BEGIN
    UPDATE order_totals_buyer SET n = n - 1, amount = amount - OLD.amount
    WHERE merchant_id = OLD.merchant_id AND buyer_ref = coalesce(OLD.buyer_ref, 0) AND currency = OLD.currency;
    DELETE FROM order_totals_buyer
    WHERE merchant_id = OLD.merchant_id AND buyer_ref = coalesce(OLD.buyer_ref, 0) AND currency = OLD.currency AND n = 0;
    INSERT INTO order_totals_buyer VALUES (NEW.merchant_id, coalesce(NEW.buyer_ref, 0), NEW.currency, 1, NEW.amount)
    ON CONFLICT DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER order_lines_rollups_update_buyer;
DROP TRIGGER order_lines_rollups_update_time;
DROP TRIGGER order_lines_rollups_update_all;
DROP TRIGGER order_lines_rollups_delete;
DROP TRIGGER order_lines_rollups_insert;
DROP TABLE order_totals_buyer;
DROP TABLE order_totals_time;
DROP TABLE order_totals_all;
