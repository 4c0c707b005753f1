-- +goose Up
-- 导出记录: asynchronous exports of a filtered list (orders, interface
-- messages). The row is the job's record: a River job builds the file, the
-- history page shows progress, downloads are authorized against the row.
CREATE TABLE exports (
    id            INTEGER PRIMARY KEY,
    -- NULL: an operations manager's export across all merchants
    merchant_id   INTEGER REFERENCES merchants(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    kind          TEXT NOT NULL CHECK (kind IN ('orders', 'interface_messages')),
    format        TEXT NOT NULL CHECK (format IN ('xlsx', 'csv')),
    query         TEXT NOT NULL DEFAULT '',   -- the list filter's URL form
    summary       TEXT NOT NULL DEFAULT '',   -- short human summary of the filter
    lang          TEXT NOT NULL DEFAULT 'zh-CN', -- language of headers and labels
    time_zone     TEXT NOT NULL,              -- the exporting user's, for date cells
    status        TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'expired')),
    run_no        INTEGER NOT NULL DEFAULT 0, -- which run owns the row: a superseded run stops
    rows_total    INTEGER NOT NULL DEFAULT 0,
    rows_written  INTEGER NOT NULL DEFAULT 0,
    file_name     TEXT NOT NULL DEFAULT '',   -- what the browser saves (ASCII)
    file_path     TEXT NOT NULL DEFAULT '',   -- the file's name inside the exports directory
    size          INTEGER NOT NULL DEFAULT 0,
    sha256        TEXT NOT NULL DEFAULT '',
    error         TEXT NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL,
    started_at    DATETIME,
    finished_at   DATETIME,
    expires_at    DATETIME
);
CREATE INDEX exports_merchant ON exports (merchant_id, id DESC);
CREATE INDEX exports_status ON exports (status);

-- An export walks the whole filtered order list in keyset pages. Time sorts
-- have their indexes (00004); these give the amount sorts theirs, so each
-- page is an index range instead of a sort of everything left.
CREATE INDEX order_lines_amount ON order_lines (merchant_id, amount, id);
CREATE INDEX order_lines_amount_all ON order_lines (amount, id);

-- +goose Down
DROP INDEX order_lines_amount_all;
DROP INDEX order_lines_amount;
DROP INDEX exports_status;
DROP INDEX exports_merchant;
DROP TABLE exports;
