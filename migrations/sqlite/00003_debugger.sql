-- +goose Up
-- 应用接入调试: a merchant's saved test cases (用例). A case tied to a product
-- is replayed twice a day by the dial tests (拨测).
CREATE TABLE test_cases (
    id           INTEGER PRIMARY KEY,
    merchant_id  INTEGER NOT NULL REFERENCES merchants(id),
    product_ref  INTEGER REFERENCES products(id),
    name         TEXT NOT NULL,
    activity     TEXT NOT NULL,
    params       TEXT NOT NULL DEFAULT '{}',  -- JSON object of protocol parameters, at most 8 KiB
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL,
    UNIQUE (merchant_id, name)
);
CREATE INDEX test_cases_product ON test_cases (product_ref);

-- One dial-test run of a case. Test calls are not orders: they never enter
-- interface_messages; a run keeps its own masked request and response.
CREATE TABLE dial_runs (
    id             INTEGER PRIMARY KEY,
    merchant_id    INTEGER NOT NULL REFERENCES merchants(id),
    product_ref    INTEGER NOT NULL REFERENCES products(id),
    case_ref       INTEGER REFERENCES test_cases(id) ON DELETE SET NULL,
    case_name      TEXT NOT NULL DEFAULT '',
    activity       TEXT NOT NULL,
    at             DATETIME NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('ok', 'error')),
    error_class    TEXT NOT NULL DEFAULT '',
    error_detail   TEXT NOT NULL DEFAULT '',
    result_code    TEXT NOT NULL DEFAULT '',
    latency_ms     INTEGER NOT NULL DEFAULT 0,
    request_text   TEXT NOT NULL DEFAULT '',
    response_text  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dial_runs_product ON dial_runs (product_ref, at DESC, id DESC);
CREATE INDEX dial_runs_merchant ON dial_runs (merchant_id, at DESC);

-- When an operations manager reverses a freeze or a delist flag, the rules
-- count only what happened after that moment (else the next evaluation would
-- undo the reversal at once).
ALTER TABLE products ADD COLUMN dial_streak_from DATETIME;
ALTER TABLE products ADD COLUMN delist_count_from DATETIME;

-- +goose Down
ALTER TABLE products DROP COLUMN delist_count_from;
ALTER TABLE products DROP COLUMN dial_streak_from;
DROP INDEX dial_runs_merchant;
DROP INDEX dial_runs_product;
DROP TABLE dial_runs;
DROP INDEX test_cases_product;
DROP TABLE test_cases;
