-- +goose Up
CREATE TABLE merchants (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    merchant_id    INTEGER REFERENCES merchants(id) ON DELETE RESTRICT,
    email          TEXT    NOT NULL,
    name           TEXT    NOT NULL DEFAULT '',
    role           TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL,
    disabled       INTEGER NOT NULL DEFAULT 0,
    lang           TEXT    NOT NULL DEFAULT 'zh-CN',
    time_zone      TEXT    NOT NULL DEFAULT 'Asia/Shanghai',
    last_login_at  DATETIME,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    customer_id    TEXT    NOT NULL DEFAULT '',   -- buyers: their marketplace customer id
    -- merchant roles belong to a merchant; platform roles belong to none
    CHECK ((role IN ('opsmanager', 'buyer')) = (merchant_id IS NULL))
);
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE INDEX users_merchant ON users (merchant_id, role);

CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,          -- sha256 of the cookie token, never the token itself
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    DATETIME NOT NULL,
    expires_at    DATETIME NOT NULL,
    last_seen_at  DATETIME NOT NULL,
    ip            TEXT NOT NULL DEFAULT '',
    user_agent    TEXT NOT NULL DEFAULT '',
    flash         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE login_attempts (
    id          INTEGER PRIMARY KEY,
    email       TEXT NOT NULL,
    ip          TEXT NOT NULL,
    success     INTEGER NOT NULL,
    created_at  DATETIME NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email, created_at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, created_at);

CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             DATETIME NOT NULL,
    actor_user_id  INTEGER,
    actor_email    TEXT NOT NULL DEFAULT '',
    merchant_id    INTEGER,
    action         TEXT NOT NULL,
    target_type    TEXT NOT NULL DEFAULT '',
    target_id      TEXT NOT NULL DEFAULT '',
    detail         TEXT NOT NULL DEFAULT '',
    ip             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_merchant ON audit_log (merchant_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE login_attempts;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE merchants;
