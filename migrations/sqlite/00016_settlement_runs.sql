-- +goose Up
-- 结算单 without a row per sale. 00013 wrote one statement_lines row per
-- settled sale into a table with three indexes (39 s for a merchant with
-- 1,000,000 lines, and as long again to delete them on regeneration). A
-- statement's sales are now a rule over order_lines plus its exceptions:
--
--   settlement_runs   one generation of a merchant's month, in month order:
--                     the sales it covers are the merchant's lines ordered in
--                     [from_at, to_at) and inserted up to max_line (the
--                     largest order line id when it ran), less the lines it
--                     held back. from_at is the previous run's to_at (NULL for
--                     the first run: all earlier history). Order lines never
--                     change merchant, currency, type, amount or order time,
--                     and a line that counts as sold stays so, so the rule
--                     reads the same set for ever.
--   statement_lines   only what the rule does not say: 'held' lines (in the
--                     run's range but not sold yet or stopped by the
--                     settlement gate), 'sale' lines settled outside a range
--                     (a held line that passed later, a line inserted after
--                     the run of its month), and the refunds and downgrades.
--   settlement_run_rates  the product commission overrides when the run was
--                     made (the merchant's rate is on the run), so a
--                     statement's fees never move with a later rate change.
--
-- A statement (per currency) points at its run. Existing statements become
-- runs with an empty range whose sales stay explicit lines; lines not yet
-- settled under 00013 become held lines of the merchant's latest run.
CREATE TABLE settlement_runs (
    id            INTEGER PRIMARY KEY,
    merchant_id   INTEGER NOT NULL REFERENCES merchants(id),
    month         TEXT NOT NULL,        -- YYYY-MM (UTC)
    from_at       DATETIME,             -- sales ordered from (NULL: the beginning)
    to_at         DATETIME NOT NULL,    -- to, exclusive: the month's end
    max_line      INTEGER NOT NULL,     -- and inserted up to this order line id
    rate_bp       INTEGER NOT NULL,     -- the merchant's commission then
    generated_at  DATETIME NOT NULL,
    UNIQUE (merchant_id, month)
);

CREATE TABLE settlement_run_rates (
    run_ref      INTEGER NOT NULL REFERENCES settlement_runs(id),
    product_ref  INTEGER NOT NULL,
    rate_bp      INTEGER NOT NULL,
    PRIMARY KEY (run_ref, product_ref)
);

-- (no REFERENCES clause: SQLite cannot drop a column that has one, and Down drops it)
ALTER TABLE settlement_statements ADD COLUMN run_ref INTEGER;

INSERT INTO settlement_runs (merchant_id, month, from_at, to_at, max_line, rate_bp, generated_at)
SELECT merchant_id, month,
    strftime('%Y-%m-%d %H:%M:%S+00:00', month || '-01', '+1 month'),
    strftime('%Y-%m-%d %H:%M:%S+00:00', month || '-01', '+1 month'),
    (SELECT coalesce(max(id), 0) FROM order_lines), 0, min(generated_at)
FROM settlement_statements GROUP BY merchant_id, month;
UPDATE settlement_statements SET run_ref = (SELECT r.id FROM settlement_runs r
    WHERE r.merchant_id = settlement_statements.merchant_id AND r.month = settlement_statements.month);

CREATE TABLE statement_lines_v2 (
    id              INTEGER PRIMARY KEY,
    run_ref         INTEGER NOT NULL REFERENCES settlement_runs(id),
    merchant_id     INTEGER NOT NULL,
    order_line_ref  INTEGER NOT NULL,
    refund_ref      INTEGER,          -- the line_refunds row of a negative line
    kind            TEXT NOT NULL CHECK (kind IN ('sale', 'refund', 'downgrade', 'held')),
    currency        TEXT NOT NULL,    -- with run_ref, names the statement
    gross           INTEGER NOT NULL,
    rate_bp         INTEGER NOT NULL,
    fee             INTEGER NOT NULL,
    CHECK ((kind IN ('refund', 'downgrade')) = (refund_ref IS NOT NULL))
);
INSERT INTO statement_lines_v2 (id, run_ref, merchant_id, order_line_ref, refund_ref, kind, currency, gross, rate_bp, fee)
SELECT sl.id, st.run_ref, sl.merchant_id, sl.order_line_ref, sl.refund_ref, sl.kind, st.currency, sl.gross,
    sl.rate_bp, sl.fee
FROM statement_lines sl JOIN settlement_statements st ON st.id = sl.statement_ref;
INSERT INTO statement_lines_v2 (run_ref, merchant_id, order_line_ref, kind, currency, gross, rate_bp, fee)
SELECT (SELECT r.id FROM settlement_runs r WHERE r.merchant_id = ol.merchant_id ORDER BY r.month DESC LIMIT 1),
    ol.merchant_id, ol.id, 'held', ol.currency, ol.amount, 0, 0
FROM order_lines ol
WHERE ol.amount > 0 AND ol.order_type <> 'UNSUBSCRIBE'
    AND ol.ordered_at < (SELECT max(r.to_at) FROM settlement_runs r WHERE r.merchant_id = ol.merchant_id)
    AND NOT EXISTS (SELECT 1 FROM statement_lines sl WHERE sl.order_line_ref = ol.id AND sl.kind = 'sale');
DROP TABLE statement_lines;
ALTER TABLE statement_lines_v2 RENAME TO statement_lines;

-- A run's explicit lines by statement (run and currency: the line list) and by run (regeneration).
CREATE INDEX statement_lines_run ON statement_lines (run_ref, currency, kind, id);
-- A sale is settled once, a line held once, a refund settled once.
CREATE UNIQUE INDEX statement_lines_sale ON statement_lines (order_line_ref) WHERE kind = 'sale';
CREATE UNIQUE INDEX statement_lines_held ON statement_lines (order_line_ref) WHERE kind = 'held';
CREATE UNIQUE INDEX statement_lines_refund ON statement_lines (refund_ref) WHERE refund_ref IS NOT NULL;
-- The merchant's held lines: what each new run looks at again.
CREATE INDEX statement_lines_held_merchant ON statement_lines (merchant_id, order_line_ref) WHERE kind = 'held';

-- Reconciliation compares, per month, what was ordered (order_totals_month
-- of 00007), refunded and invoiced. The invoiced side summed every issued
-- invoice of the merchant on each read (5.7 s for the month table at
-- 1,000,000 invoices); it is now kept per month of issue by triggers in
-- the same transaction as the invoice's change, like 00015's rollups.
CREATE TABLE invoice_totals_month (
    merchant_id  INTEGER NOT NULL,
    month        TEXT NOT NULL,   -- substr(issued_at, 1, 7) (UTC)
    currency     TEXT NOT NULL,
    n            INTEGER NOT NULL,
    amount       INTEGER NOT NULL,
    PRIMARY KEY (merchant_id, month, currency)
);
INSERT INTO invoice_totals_month (merchant_id, month, currency, n, amount)
SELECT merchant_id, substr(issued_at, 1, 7), currency, count(*), sum(amount)
FROM invoices WHERE status IN ('issued', 'returning') AND issued_at IS NOT NULL GROUP BY 1, 2, 3;

-- An invoice counts while issued or being returned, by its month of issue.
-- +goose StatementBegin
CREATE TRIGGER invoices_totals_insert AFTER INSERT ON invoices
WHEN NEW.status IN ('issued', 'returning') AND NEW.issued_at IS NOT NULL BEGIN
    INSERT INTO invoice_totals_month VALUES (NEW.merchant_id, substr(NEW.issued_at, 1, 7), NEW.currency, 1, NEW.amount)
    ON CONFLICT (merchant_id, month, currency) DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER invoices_totals_update AFTER UPDATE OF merchant_id, status, issued_at, currency, amount ON invoices BEGIN
    UPDATE invoice_totals_month SET n = n - 1, amount = amount - OLD.amount
    WHERE OLD.status IN ('issued', 'returning') AND OLD.issued_at IS NOT NULL
      AND merchant_id = OLD.merchant_id AND month = substr(OLD.issued_at, 1, 7) AND currency = OLD.currency;
    INSERT INTO invoice_totals_month
    SELECT NEW.merchant_id, substr(NEW.issued_at, 1, 7), NEW.currency, 1, NEW.amount
    WHERE NEW.status IN ('issued', 'returning') AND NEW.issued_at IS NOT NULL
    ON CONFLICT (merchant_id, month, currency) DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
    DELETE FROM invoice_totals_month
    WHERE merchant_id = OLD.merchant_id AND month = substr(OLD.issued_at, 1, 7) AND currency = OLD.currency AND n = 0;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER invoices_totals_delete AFTER DELETE ON invoices
WHEN OLD.status IN ('issued', 'returning') AND OLD.issued_at IS NOT NULL BEGIN
    UPDATE invoice_totals_month SET n = n - 1, amount = amount - OLD.amount
    WHERE merchant_id = OLD.merchant_id AND month = substr(OLD.issued_at, 1, 7) AND currency = OLD.currency;
    DELETE FROM invoice_totals_month
    WHERE merchant_id = OLD.merchant_id AND month = substr(OLD.issued_at, 1, 7) AND currency = OLD.currency AND n = 0;
END;
-- +goose StatementEnd

-- Reconciliation lists unsubscribes with no refund recorded. They are few,
-- but a merchant's lines mostly share one order type, so SQLite's
-- statistics made a scan of every line look cheaper than
-- order_lines_list_type (0.7 s at 1,000,000 lines); this partial index's
-- own row count tells it how few there are.
CREATE INDEX order_lines_unsubscribes ON order_lines (merchant_id, ordered_at DESC, id DESC) WHERE order_type = 'UNSUBSCRIBE';

-- +goose Down
DROP INDEX order_lines_unsubscribes;
DROP TRIGGER invoices_totals_delete;
DROP TRIGGER invoices_totals_update;
DROP TRIGGER invoices_totals_insert;
DROP TABLE invoice_totals_month;
-- Back to a row per settled sale: each run's range is spelled out again.
CREATE TABLE statement_lines_v1 (
    id              INTEGER PRIMARY KEY,
    statement_ref   INTEGER NOT NULL REFERENCES settlement_statements(id),
    merchant_id     INTEGER NOT NULL,
    order_line_ref  INTEGER NOT NULL,
    refund_ref      INTEGER,
    kind            TEXT NOT NULL CHECK (kind IN ('sale', 'refund', 'downgrade')),
    gross           INTEGER NOT NULL,
    rate_bp         INTEGER NOT NULL,
    fee             INTEGER NOT NULL
);
INSERT INTO statement_lines_v1 (statement_ref, merchant_id, order_line_ref, refund_ref, kind, gross, rate_bp, fee)
SELECT st.id, sl.merchant_id, sl.order_line_ref, sl.refund_ref, sl.kind, sl.gross, sl.rate_bp, sl.fee
FROM statement_lines sl JOIN settlement_statements st ON st.run_ref = sl.run_ref AND st.currency = sl.currency
WHERE sl.kind <> 'held';
INSERT INTO statement_lines_v1 (statement_ref, merchant_id, order_line_ref, kind, gross, rate_bp, fee)
SELECT st.id, ol.merchant_id, ol.id, 'sale', ol.amount, coalesce(rr.rate_bp, r.rate_bp),
    (ol.amount * coalesce(rr.rate_bp, r.rate_bp) + 5000) / 10000
FROM settlement_runs r
JOIN order_lines ol ON ol.merchant_id = r.merchant_id AND ol.ordered_at < r.to_at AND ol.id <= r.max_line
    AND (r.from_at IS NULL OR ol.ordered_at >= r.from_at)
JOIN settlement_statements st ON st.run_ref = r.id AND st.currency = ol.currency
LEFT JOIN settlement_run_rates rr ON rr.run_ref = r.id AND rr.product_ref = ol.product_ref
WHERE ol.amount > 0 AND ol.order_type <> 'UNSUBSCRIBE'
    AND NOT EXISTS (SELECT 1 FROM statement_lines h WHERE h.order_line_ref = ol.id AND h.kind = 'held' AND h.run_ref = r.id);
DROP TABLE statement_lines;
ALTER TABLE statement_lines_v1 RENAME TO statement_lines;
CREATE INDEX statement_lines_statement ON statement_lines (statement_ref, id);
CREATE UNIQUE INDEX statement_lines_sale ON statement_lines (order_line_ref) WHERE kind = 'sale';
CREATE UNIQUE INDEX statement_lines_refund ON statement_lines (refund_ref) WHERE kind <> 'sale';
ALTER TABLE settlement_statements DROP COLUMN run_ref;
DROP TABLE settlement_run_rates;
DROP TABLE settlement_runs;
