-- +goose Up
-- Catalogue: one row per marketplace productId (a spec's period type has its own productId).
CREATE TABLE products (
    id             INTEGER PRIMARY KEY,
    merchant_id    INTEGER NOT NULL REFERENCES merchants(id),
    product_id     TEXT NOT NULL UNIQUE,
    sku_code       TEXT NOT NULL DEFAULT '',
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('saas', 'service')),
    charging_mode  TEXT NOT NULL CHECK (charging_mode IN ('PERIOD', 'ONE_TIME', 'ON_DEMAND', 'ON_DEMAND_PKG')),
    period_type    TEXT NOT NULL DEFAULT '' CHECK (period_type IN ('', 'year', 'month')),
    supervised     INTEGER NOT NULL DEFAULT 0,
    trial_allowed  INTEGER NOT NULL DEFAULT 0,
    status         TEXT NOT NULL DEFAULT 'on_sale' CHECK (status IN ('on_sale', 'frozen', 'delisted')),
    status_reason  TEXT NOT NULL DEFAULT '',
    delist_flagged INTEGER NOT NULL DEFAULT 0,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE INDEX products_merchant ON products (merchant_id, status);

-- The merchant's production interface (生产系统接口地址).
CREATE TABLE endpoints (
    merchant_id      INTEGER PRIMARY KEY REFERENCES merchants(id),
    url              TEXT NOT NULL,
    protocol         TEXT NOT NULL CHECK (protocol IN ('v1', 'v2')),
    encrypt_type     INTEGER NOT NULL DEFAULT 1 CHECK (encrypt_type IN (1, 2)),
    timeout_ms       INTEGER NOT NULL DEFAULT 5000,
    max_concurrency  INTEGER NOT NULL DEFAULT 4,
    updated_at       DATETIME NOT NULL
);

-- 密钥管理: secrets encrypted under the master key; one active key signs.
CREATE TABLE merchant_keys (
    id           INTEGER PRIMARY KEY,
    merchant_id  INTEGER NOT NULL REFERENCES merchants(id),
    label        TEXT NOT NULL,
    secret_enc   TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('active', 'retiring', 'revoked')),
    created_at   DATETIME NOT NULL,
    retire_at    DATETIME,
    revoked_at   DATETIME
);
CREATE INDEX merchant_keys_merchant ON merchant_keys (merchant_id, status);
CREATE UNIQUE INDEX merchant_keys_one_active ON merchant_keys (merchant_id) WHERE status = 'active';

-- Bearer tokens of marketplace integrations (intake API).
CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    DATETIME NOT NULL,
    last_used_at  DATETIME,
    revoked_at    DATETIME
);

-- Buyers: PII encrypted under the master key; the masked name is what lists show.
CREATE TABLE buyers (
    id              INTEGER PRIMARY KEY,
    customer_id     TEXT NOT NULL UNIQUE,
    name_masked     TEXT NOT NULL DEFAULT '',
    pii_enc         TEXT NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);

CREATE TABLE orders (
    id            INTEGER PRIMARY KEY,
    merchant_id   INTEGER NOT NULL REFERENCES merchants(id),
    order_id      TEXT NOT NULL UNIQUE,
    order_type    TEXT NOT NULL CHECK (order_type IN ('NEW', 'TRIAL', 'TRIAL_TO_FORMAL', 'RENEW', 'UNSUBSCRIBE', 'CHANGE')),
    buyer_id      INTEGER NOT NULL REFERENCES buyers(id),
    status        TEXT NOT NULL CHECK (status IN ('processing', 'completed', 'supervising', 'provisioning_failed', 'unsubscribed')),
    amount        INTEGER NOT NULL,            -- minor units, sum of lines
    currency      TEXT NOT NULL CHECK (currency IN ('CNY', 'USD')),
    created_at    DATETIME NOT NULL,           -- when the buyer ordered (marketplace createTime)
    received_at   DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    request_hash  TEXT NOT NULL               -- a repeat with other content is a conflict
);
CREATE INDEX orders_merchant_time ON orders (merchant_id, created_at DESC, id DESC);
CREATE INDEX orders_merchant_status ON orders (merchant_id, status, created_at DESC);

CREATE TABLE instances (
    id             INTEGER PRIMARY KEY,
    merchant_id    INTEGER NOT NULL REFERENCES merchants(id),
    instance_id    TEXT NOT NULL,
    product_id     INTEGER NOT NULL REFERENCES products(id),
    status         TEXT NOT NULL CHECK (status IN ('normal', 'frozen', 'released')),
    expire_at      DATETIME,
    app_info_enc   TEXT NOT NULL DEFAULT '',
    -- the line whose order created it: unique, so a retried create can never make a second
    creating_line_ref INTEGER NOT NULL UNIQUE REFERENCES order_lines(id),
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    UNIQUE (merchant_id, instance_id)
);

CREATE TABLE order_lines (
    id                   INTEGER PRIMARY KEY,
    order_ref            INTEGER NOT NULL REFERENCES orders(id),
    merchant_id          INTEGER NOT NULL REFERENCES merchants(id),
    order_line_id        TEXT NOT NULL UNIQUE,
    product_ref          INTEGER NOT NULL REFERENCES products(id),
    sku_code             TEXT NOT NULL DEFAULT '',
    charging_mode        TEXT NOT NULL,
    period_type          TEXT NOT NULL DEFAULT '',
    period_number        INTEGER NOT NULL DEFAULT 0,
    amount               INTEGER NOT NULL,     -- minor units; negative only for renewal cancellation
    currency             TEXT NOT NULL,
    expire_at            DATETIME,
    target_instance_id   TEXT NOT NULL DEFAULT '',
    instance_ref         INTEGER REFERENCES instances(id),
    status               TEXT NOT NULL CHECK (status IN ('processing', 'completed', 'supervising', 'provisioning_failed', 'unsubscribed')),
    status_reason        TEXT NOT NULL DEFAULT '',
    updated_at           DATETIME NOT NULL
);
CREATE INDEX order_lines_order ON order_lines (order_ref);
CREATE INDEX order_lines_instance ON order_lines (instance_ref);

-- A call the core must make to a merchant endpoint (one activity), retried until it
-- succeeds or its window closes. Its attempts are the interface messages.
CREATE TABLE calls (
    id              INTEGER PRIMARY KEY,
    merchant_id     INTEGER NOT NULL REFERENCES merchants(id),
    activity        TEXT NOT NULL,
    order_line_ref  INTEGER REFERENCES order_lines(id),
    instance_ref    INTEGER REFERENCES instances(id),
    params          TEXT NOT NULL DEFAULT '{}',
    state           TEXT NOT NULL CHECK (state IN ('pending', 'retrying', 'polling', 'succeeded', 'failed', 'recovered')),
    business_id     TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    interval_s      INTEGER NOT NULL,
    window_s        INTEGER NOT NULL,
    first_at        DATETIME NOT NULL,
    deadline_at     DATETIME NOT NULL,
    next_at         DATETIME,
    last_error      TEXT NOT NULL DEFAULT '',
    test_flag       INTEGER NOT NULL DEFAULT 0,
    restarted       INTEGER NOT NULL DEFAULT 0,   -- a person pressed 重新启动 after it failed
    manual_by       TEXT NOT NULL DEFAULT '',     -- who asked for the next attempt by hand
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);
CREATE INDEX calls_merchant_state ON calls (merchant_id, state, id);
CREATE INDEX calls_line ON calls (order_line_ref);

-- 生产接口消息: one immutable row per attempt. The only update allowed is the
-- single move out of 'in_flight' when the answer (or its absence) is known.
CREATE TABLE interface_messages (
    id                INTEGER PRIMARY KEY,
    merchant_id       INTEGER NOT NULL REFERENCES merchants(id),
    call_ref          INTEGER NOT NULL REFERENCES calls(id),
    attempt_no        INTEGER NOT NULL,
    at                DATETIME NOT NULL,
    activity          TEXT NOT NULL,
    order_id          TEXT NOT NULL DEFAULT '',
    order_line_id     TEXT NOT NULL DEFAULT '',
    instance_id       TEXT NOT NULL DEFAULT '',
    protocol          TEXT NOT NULL,
    method            TEXT NOT NULL,
    url               TEXT NOT NULL,
    request_headers   TEXT NOT NULL DEFAULT '',
    request_body      TEXT NOT NULL DEFAULT '',
    response_status   INTEGER NOT NULL DEFAULT 0,
    response_headers  TEXT NOT NULL DEFAULT '',
    response_body     TEXT NOT NULL DEFAULT '',
    body_sign         TEXT NOT NULL DEFAULT '' CHECK (body_sign IN ('', 'ok', 'bad', 'missing')),
    result_code       TEXT NOT NULL DEFAULT '',
    outcome           TEXT NOT NULL CHECK (outcome IN ('in_flight', 'ok', 'error', 'interrupted')),
    error_class       TEXT NOT NULL DEFAULT '',
    error_detail      TEXT NOT NULL DEFAULT '',
    latency_ms        INTEGER NOT NULL DEFAULT 0,
    next_retry_at     DATETIME,
    manual            INTEGER NOT NULL DEFAULT 0,
    actor_email       TEXT NOT NULL DEFAULT ''
);
-- The log lists newest first with a (at, id) keyset; each filter has its index.
CREATE INDEX interface_messages_merchant ON interface_messages (merchant_id, at DESC, id DESC);
CREATE INDEX interface_messages_merchant_activity ON interface_messages (merchant_id, activity, at DESC, id DESC);
CREATE INDEX interface_messages_merchant_class ON interface_messages (merchant_id, error_class, at DESC, id DESC);
CREATE INDEX interface_messages_merchant_order ON interface_messages (merchant_id, order_id, at DESC, id DESC);
CREATE INDEX interface_messages_all ON interface_messages (at DESC, id DESC);
CREATE INDEX interface_messages_call ON interface_messages (call_ref, attempt_no);

-- 站内信. Texts are catalog ids with data, rendered in the reader's language.
CREATE TABLE notifications (
    id           INTEGER PRIMARY KEY,
    merchant_id  INTEGER NOT NULL REFERENCES merchants(id),
    type_code    INTEGER NOT NULL,
    msg_id       TEXT NOT NULL,
    msg_args     TEXT NOT NULL DEFAULT '{}',
    link         TEXT NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    read_at      DATETIME
);
CREATE INDEX notifications_merchant ON notifications (merchant_id, id DESC);
CREATE INDEX notifications_unread ON notifications (merchant_id, read_at);

-- Installation-wide settings (e.g. that this database holds demo data).
CREATE TABLE app_settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- +goose Down
DROP TABLE app_settings;
DROP TABLE notifications;
DROP TABLE interface_messages;
DROP TABLE calls;
DROP TABLE order_lines;
DROP TABLE instances;
DROP TABLE orders;
DROP TABLE buyers;
DROP TABLE api_tokens;
DROP TABLE merchant_keys;
DROP TABLE endpoints;
DROP TABLE products;
