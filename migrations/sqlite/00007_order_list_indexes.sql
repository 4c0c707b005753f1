-- +goose Up
-- The order list shows the count and sum of the whole filtered set above
-- each page. At a large merchant's scale (hundreds of thousands of lines)
-- counting the rows on every request costs far more than the page itself,
-- so the totals are kept by the database as it changes: two aggregate
-- tables, maintained by triggers on order_lines in the same transaction as
-- the change, keyed by every filter the list has except the customer (whose
-- own rows are few) and by the UTC month or day of the order time.
--
-- A filter's totals are then: whole months from order_totals_month, the days
-- of partial months from order_totals_day, and the rows of the (at most two)
-- partial days at the ends of the range read from order_lines itself, so they
-- stay exact in any time zone. The tables also carry the first 6 and 8
-- characters of the order id (CS + yyMM, CS + yyMMdd for marketplace ids), so
-- an order-id prefix of up to 8 characters is answered from them too.
CREATE TABLE order_totals_month (
    merchant_id    INTEGER NOT NULL,
    month          TEXT NOT NULL,   -- substr(ordered_at, 1, 7): 'YYYY-MM' (UTC); '' if unknown
    code6          TEXT NOT NULL,   -- substr(order_code, 1, 6)
    product_ref    INTEGER NOT NULL,
    order_type     TEXT NOT NULL,
    status         TEXT NOT NULL,
    charging_mode  TEXT NOT NULL,
    supervision    TEXT NOT NULL,
    currency       TEXT NOT NULL,
    n              INTEGER NOT NULL,
    amount         INTEGER NOT NULL,
    PRIMARY KEY (merchant_id, currency, month, code6, product_ref, order_type, status, charging_mode, supervision)
) WITHOUT ROWID;
CREATE INDEX order_totals_month_code ON order_totals_month (merchant_id, currency, code6, month, n, amount);

CREATE TABLE order_totals_day (
    merchant_id    INTEGER NOT NULL,
    day            TEXT NOT NULL,   -- substr(ordered_at, 1, 10): 'YYYY-MM-DD' (UTC); '' if unknown
    code8          TEXT NOT NULL,   -- substr(order_code, 1, 8)
    product_ref    INTEGER NOT NULL,
    order_type     TEXT NOT NULL,
    status         TEXT NOT NULL,
    charging_mode  TEXT NOT NULL,
    supervision    TEXT NOT NULL,
    currency       TEXT NOT NULL,
    n              INTEGER NOT NULL,
    amount         INTEGER NOT NULL,
    PRIMARY KEY (merchant_id, currency, day, code8, product_ref, order_type, status, charging_mode, supervision)
) WITHOUT ROWID;
-- Order-id prefixes range over the code columns; n and amount make these covering.
CREATE INDEX order_totals_day_code ON order_totals_day (merchant_id, currency, code8, day, n, amount);

-- The currencies each merchant has lines in. The totals are read per
-- merchant and currency from this table, each a range of the tables above
-- in key order, so SQLite groups them without sorting their rows.
CREATE TABLE order_currencies (
    merchant_id  INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    PRIMARY KEY (merchant_id, currency)
) WITHOUT ROWID;
INSERT INTO order_currencies SELECT DISTINCT merchant_id, currency FROM order_lines;

INSERT INTO order_totals_month (merchant_id, month, code6, product_ref, order_type, status, charging_mode, supervision, currency, n, amount)
SELECT merchant_id, coalesce(substr(ordered_at, 1, 7), ''), substr(order_code, 1, 6), product_ref, order_type, status,
       charging_mode, supervision, currency, count(*), sum(amount)
FROM order_lines GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

INSERT INTO order_totals_day (merchant_id, day, code8, product_ref, order_type, status, charging_mode, supervision, currency, n, amount)
SELECT merchant_id, coalesce(substr(ordered_at, 1, 10), ''), substr(order_code, 1, 8), product_ref, order_type, status,
       charging_mode, supervision, currency, count(*), sum(amount)
FROM order_lines GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

-- +goose StatementBegin
CREATE TRIGGER order_lines_totals_insert AFTER INSERT ON order_lines BEGIN
    INSERT OR IGNORE INTO order_currencies VALUES (NEW.merchant_id, NEW.currency);
    INSERT INTO order_totals_month VALUES (NEW.merchant_id, coalesce(substr(NEW.ordered_at, 1, 7), ''), substr(NEW.order_code, 1, 6),
        NEW.product_ref, NEW.order_type, NEW.status, NEW.charging_mode, NEW.supervision, NEW.currency, 1, NEW.amount)
    ON CONFLICT DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
    INSERT INTO order_totals_day VALUES (NEW.merchant_id, coalesce(substr(NEW.ordered_at, 1, 10), ''), substr(NEW.order_code, 1, 8),
        NEW.product_ref, NEW.order_type, NEW.status, NEW.charging_mode, NEW.supervision, NEW.currency, 1, NEW.amount)
    ON CONFLICT DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER order_lines_totals_delete AFTER DELETE ON order_lines BEGIN
    UPDATE order_totals_month SET n = n - 1, amount = amount - OLD.amount
    WHERE merchant_id = OLD.merchant_id AND month = coalesce(substr(OLD.ordered_at, 1, 7), '') AND code6 = substr(OLD.order_code, 1, 6)
      AND product_ref = OLD.product_ref
      AND order_type = OLD.order_type AND status = OLD.status AND charging_mode = OLD.charging_mode
      AND supervision = OLD.supervision AND currency = OLD.currency;
    DELETE FROM order_totals_month
    WHERE merchant_id = OLD.merchant_id AND month = coalesce(substr(OLD.ordered_at, 1, 7), '') AND code6 = substr(OLD.order_code, 1, 6)
      AND product_ref = OLD.product_ref
      AND order_type = OLD.order_type AND status = OLD.status AND charging_mode = OLD.charging_mode
      AND supervision = OLD.supervision AND currency = OLD.currency AND n = 0;
    UPDATE order_totals_day SET n = n - 1, amount = amount - OLD.amount
    WHERE merchant_id = OLD.merchant_id AND day = coalesce(substr(OLD.ordered_at, 1, 10), '') AND code8 = substr(OLD.order_code, 1, 8)
      AND product_ref = OLD.product_ref AND order_type = OLD.order_type AND status = OLD.status
      AND charging_mode = OLD.charging_mode AND supervision = OLD.supervision AND currency = OLD.currency;
    DELETE FROM order_totals_day
    WHERE merchant_id = OLD.merchant_id AND day = coalesce(substr(OLD.ordered_at, 1, 10), '') AND code8 = substr(OLD.order_code, 1, 8)
      AND product_ref = OLD.product_ref AND order_type = OLD.order_type AND status = OLD.status
      AND charging_mode = OLD.charging_mode AND supervision = OLD.supervision AND currency = OLD.currency AND n = 0;
END;
-- +goose StatementEnd

-- An update of any keyed column moves the line from its old group to its
-- new one (status changes are the common case).
-- +goose StatementBegin
CREATE TRIGGER order_lines_totals_update AFTER UPDATE OF merchant_id, ordered_at, order_code, product_ref, order_type, status,
    charging_mode, supervision, currency, amount ON order_lines BEGIN
    INSERT OR IGNORE INTO order_currencies VALUES (NEW.merchant_id, NEW.currency);
    UPDATE order_totals_month SET n = n - 1, amount = amount - OLD.amount
    WHERE merchant_id = OLD.merchant_id AND month = coalesce(substr(OLD.ordered_at, 1, 7), '') AND code6 = substr(OLD.order_code, 1, 6)
      AND product_ref = OLD.product_ref
      AND order_type = OLD.order_type AND status = OLD.status AND charging_mode = OLD.charging_mode
      AND supervision = OLD.supervision AND currency = OLD.currency;
    DELETE FROM order_totals_month
    WHERE merchant_id = OLD.merchant_id AND month = coalesce(substr(OLD.ordered_at, 1, 7), '') AND code6 = substr(OLD.order_code, 1, 6)
      AND product_ref = OLD.product_ref
      AND order_type = OLD.order_type AND status = OLD.status AND charging_mode = OLD.charging_mode
      AND supervision = OLD.supervision AND currency = OLD.currency AND n = 0;
    UPDATE order_totals_day SET n = n - 1, amount = amount - OLD.amount
    WHERE merchant_id = OLD.merchant_id AND day = coalesce(substr(OLD.ordered_at, 1, 10), '') AND code8 = substr(OLD.order_code, 1, 8)
      AND product_ref = OLD.product_ref AND order_type = OLD.order_type AND status = OLD.status
      AND charging_mode = OLD.charging_mode AND supervision = OLD.supervision AND currency = OLD.currency;
    DELETE FROM order_totals_day
    WHERE merchant_id = OLD.merchant_id AND day = coalesce(substr(OLD.ordered_at, 1, 10), '') AND code8 = substr(OLD.order_code, 1, 8)
      AND product_ref = OLD.product_ref AND order_type = OLD.order_type AND status = OLD.status
      AND charging_mode = OLD.charging_mode AND supervision = OLD.supervision AND currency = OLD.currency AND n = 0;
    INSERT INTO order_totals_month VALUES (NEW.merchant_id, coalesce(substr(NEW.ordered_at, 1, 7), ''), substr(NEW.order_code, 1, 6),
        NEW.product_ref, NEW.order_type, NEW.status, NEW.charging_mode, NEW.supervision, NEW.currency, 1, NEW.amount)
    ON CONFLICT DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
    INSERT INTO order_totals_day VALUES (NEW.merchant_id, coalesce(substr(NEW.ordered_at, 1, 10), ''), substr(NEW.order_code, 1, 8),
        NEW.product_ref, NEW.order_type, NEW.status, NEW.charging_mode, NEW.supervision, NEW.currency, 1, NEW.amount)
    ON CONFLICT DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
END;
-- +goose StatementEnd

-- Every filter of the list has an index in list order, so a page of a
-- filter that keeps few lines is read from that filter's lines, not found
-- among all of the merchant's. Each index also carries the other filters'
-- columns and the currency: a page or a partial day's totals are then
-- filtered inside the index, without a table lookup per line passed over.
-- (00004's indexes are rebuilt with those columns; their key order, which
-- the export walks, is unchanged.)
DROP INDEX order_lines_list;
DROP INDEX order_lines_list_status;
DROP INDEX order_lines_list_type;
DROP INDEX order_lines_list_product;
CREATE INDEX order_lines_list ON order_lines (merchant_id, ordered_at DESC, id DESC, amount, currency, status, order_type,
    charging_mode, supervision, product_ref);
CREATE INDEX order_lines_list_status ON order_lines (merchant_id, status, ordered_at DESC, id DESC, amount, currency, order_type,
    charging_mode, supervision, product_ref);
CREATE INDEX order_lines_list_type ON order_lines (merchant_id, order_type, ordered_at DESC, id DESC, amount, currency, status,
    charging_mode, supervision, product_ref);
CREATE INDEX order_lines_list_product ON order_lines (merchant_id, product_ref, ordered_at DESC, id DESC, amount, currency, status,
    order_type, charging_mode, supervision);
CREATE INDEX order_lines_list_charging ON order_lines (merchant_id, charging_mode, ordered_at DESC, id DESC, amount, currency, status,
    order_type, supervision, product_ref);
CREATE INDEX order_lines_list_supervision ON order_lines (merchant_id, supervision, ordered_at DESC, id DESC, amount, currency, status,
    order_type, charging_mode, product_ref);

-- Amounts follow the product, its charging mode and the order type (trials
-- are free, refunds negative, one-time services dear): a page of one of them
-- sorted by amount walks that filter's lines in amount order.
CREATE INDEX order_lines_amount_charging ON order_lines (merchant_id, charging_mode, amount, id);
CREATE INDEX order_lines_amount_type ON order_lines (merchant_id, order_type, amount, id);
CREATE INDEX order_lines_amount_product ON order_lines (merchant_id, product_ref, amount, id);

-- A customer's lines are few enough to total from the rows: 00004's index
-- of them carries what the totals and the other filters read too.
DROP INDEX order_lines_list_buyer;
CREATE INDEX order_lines_list_buyer ON order_lines (merchant_id, buyer_ref, ordered_at DESC, id DESC, amount, currency, status,
    order_type, charging_mode, supervision, product_ref);

-- +goose Down
DROP INDEX order_lines_list_buyer;
CREATE INDEX order_lines_list_buyer ON order_lines (merchant_id, buyer_ref, ordered_at DESC, id DESC, amount);
DROP INDEX order_lines_amount_product;
DROP INDEX order_lines_amount_type;
DROP INDEX order_lines_amount_charging;
DROP INDEX order_lines_list_supervision;
DROP INDEX order_lines_list_charging;
DROP INDEX order_lines_list_product;
DROP INDEX order_lines_list_type;
DROP INDEX order_lines_list_status;
DROP INDEX order_lines_list;
CREATE INDEX order_lines_list ON order_lines (merchant_id, ordered_at DESC, id DESC, amount);
CREATE INDEX order_lines_list_status ON order_lines (merchant_id, status, ordered_at DESC, id DESC, amount);
CREATE INDEX order_lines_list_type ON order_lines (merchant_id, order_type, ordered_at DESC, id DESC, amount);
CREATE INDEX order_lines_list_product ON order_lines (merchant_id, product_ref, ordered_at DESC, id DESC, amount);
DROP TRIGGER order_lines_totals_update;
DROP TRIGGER order_lines_totals_delete;
DROP TRIGGER order_lines_totals_insert;
DROP TABLE order_currencies;
DROP INDEX order_totals_day_code;
DROP INDEX order_totals_month_code;
DROP TABLE order_totals_day;
DROP TABLE order_totals_month;
