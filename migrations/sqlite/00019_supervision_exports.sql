-- +goose Up
-- The merchant's 服务监管 list exports through the export engine: the kind
-- joins the CHECK, which SQLite changes only by rebuilding the table.
CREATE TABLE exports_new (
    id            INTEGER PRIMARY KEY,
    -- NULL: an operations manager's export across all merchants
    merchant_id   INTEGER REFERENCES merchants(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    kind          TEXT NOT NULL CHECK (kind IN ('orders', 'interface_messages', 'invoices', 'supervision')),
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
INSERT INTO exports_new (id, merchant_id, user_id, kind, format, query, summary, lang, time_zone, status, run_no, rows_total, rows_written, file_name, file_path, size, sha256, error, created_at, started_at, finished_at, expires_at)
    SELECT id, merchant_id, user_id, kind, format, query, summary, lang, time_zone, status, run_no, rows_total, rows_written, file_name, file_path, size, sha256, error, created_at, started_at, finished_at, expires_at FROM exports;
DROP INDEX exports_status;
DROP INDEX exports_merchant;
DROP TABLE exports;
ALTER TABLE exports_new RENAME TO exports;
CREATE INDEX exports_merchant ON exports (merchant_id, id DESC);
CREATE INDEX exports_status ON exports (status);

-- +goose Down
CREATE TABLE exports_new (
    id            INTEGER PRIMARY KEY,
    -- NULL: an operations manager's export across all merchants
    merchant_id   INTEGER REFERENCES merchants(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    kind          TEXT NOT NULL CHECK (kind IN ('orders', 'interface_messages', 'invoices')),
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
INSERT INTO exports_new (id, merchant_id, user_id, kind, format, query, summary, lang, time_zone, status, run_no, rows_total, rows_written, file_name, file_path, size, sha256, error, created_at, started_at, finished_at, expires_at)
    SELECT id, merchant_id, user_id, kind, format, query, summary, lang, time_zone, status, run_no, rows_total, rows_written, file_name, file_path, size, sha256, error, created_at, started_at, finished_at, expires_at FROM exports WHERE kind <> 'supervision';
DROP INDEX exports_status;
DROP INDEX exports_merchant;
DROP TABLE exports;
ALTER TABLE exports_new RENAME TO exports;
CREATE INDEX exports_merchant ON exports (merchant_id, id DESC);
CREATE INDEX exports_status ON exports (status);
