-- +goose Up
-- 服务监管 and 服务监管申诉. One flow per supervised order line walks the
-- nodes requirements → confirm → delivery → acceptance → done (or closed by
-- a ruling or the old 365-day rule). Every timer of a flow is one nullable
-- instant column: NULL means "not running" (not applicable, fired, or
-- paused by an open appeal, its remaining seconds then kept beside it), so
-- the partial indexes over the non-NULL rows hold exactly the live timers and
-- the due scan reads only what is due however many flows exist.

-- Per-product settings; whether a product is supervised stays the
-- products.supervised flag the provisioning core already reads.
CREATE TABLE supervision_settings (
    product_ref        INTEGER PRIMARY KEY REFERENCES products(id),
    merchant_id        INTEGER NOT NULL REFERENCES merchants(id),
    variant            TEXT NOT NULL DEFAULT 'manual' CHECK (variant IN ('manual', 'hardware', 'license')),
    sla_days           INTEGER NOT NULL DEFAULT 30 CHECK (sla_days BETWEEN 1 AND 3650),  -- 交付SLA, natural days
    criteria           TEXT NOT NULL DEFAULT '',                                        -- 验收标准
    acceptance_mode    TEXT NOT NULL DEFAULT 'manual' CHECK (acceptance_mode IN ('manual', 'auto')),
    template_doc_ref   INTEGER,                                                         -- 需求模板 (supervision_documents)
    updated_at         DATETIME NOT NULL,
    updated_by         TEXT NOT NULL DEFAULT ''
);

CREATE TABLE supervision_flows (
    id                  INTEGER PRIMARY KEY,
    merchant_id         INTEGER NOT NULL REFERENCES merchants(id),
    line_ref            INTEGER NOT NULL UNIQUE REFERENCES order_lines(id),
    order_ref           INTEGER NOT NULL REFERENCES orders(id),
    product_ref         INTEGER NOT NULL REFERENCES products(id),
    buyer_ref           INTEGER NOT NULL REFERENCES buyers(id),
    -- the product's settings when the flow started: a later edit never
    -- changes the rules of a flow under way
    variant             TEXT NOT NULL CHECK (variant IN ('manual', 'hardware', 'license')),
    acceptance_mode     TEXT NOT NULL CHECK (acceptance_mode IN ('manual', 'auto')),
    sla_days            INTEGER NOT NULL,
    criteria            TEXT NOT NULL DEFAULT '',
    node                TEXT NOT NULL CHECK (node IN ('requirements', 'confirm', 'delivery', 'acceptance', 'done', 'closed')),
    appeal              TEXT NOT NULL DEFAULT 'none' CHECK (appeal IN ('none', 'open', 'ruled')),
    appeal_ref          INTEGER,  -- the latest appeal
    node_entered_at     DATETIME NOT NULL,
    started_at          DATETIME NOT NULL,
    requirements        TEXT NOT NULL DEFAULT '',
    reject_count        INTEGER NOT NULL DEFAULT 0,
    -- timers: due instant, or NULL with the remaining seconds while paused
    sla_due_at          DATETIME,
    sla_left_s          INTEGER,
    sla_overdue_at      DATETIME,  -- flagged 超期 (stays once set)
    accept_due_at       DATETIME,  -- automatic acceptance (hardware, license)
    accept_left_s       INTEGER,
    warn_due_at         DATETIME,  -- next long-running warning (180 days, then weekly)
    warn_left_s         INTEGER,
    warned_count        INTEGER NOT NULL DEFAULT 0,
    old_rule_due_at     DATETIME,  -- the old 365-day rule, acted on only when the policy is on
    old_rule_left_s     INTEGER,
    paused_at           DATETIME,
    -- 服务实际开通时间 and the validity it implies
    service_start_at    DATETIME,
    valid_from          DATETIME,
    valid_to            DATETIME,
    -- hardware
    carrier             TEXT NOT NULL DEFAULT '',
    tracking_no         TEXT NOT NULL DEFAULT '',
    shipped_at          DATETIME,
    signed_at           DATETIME,
    phone_mismatch      INTEGER NOT NULL DEFAULT 0,
    -- license
    activated_at        DATETIME,
    accepted_at         DATETIME,
    closed_at           DATETIME,
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL,
    CHECK ((appeal = 'open') = (paused_at IS NOT NULL))
);
-- Merchant lists, newest first, one index per filter so each first page is
-- one index range read.
CREATE INDEX supervision_flows_merchant ON supervision_flows (merchant_id, id DESC);
CREATE INDEX supervision_flows_merchant_node ON supervision_flows (merchant_id, node, id DESC);
CREATE INDEX supervision_flows_merchant_appeal ON supervision_flows (merchant_id, appeal, id DESC);
CREATE INDEX supervision_flows_merchant_product ON supervision_flows (merchant_id, product_ref, id DESC);
CREATE INDEX supervision_flows_merchant_buyer ON supervision_flows (merchant_id, buyer_ref, id DESC);
CREATE INDEX supervision_flows_merchant_started ON supervision_flows (merchant_id, started_at, id);
CREATE INDEX supervision_flows_merchant_overdue ON supervision_flows (merchant_id, id DESC) WHERE sla_overdue_at IS NOT NULL;
CREATE INDEX supervision_flows_buyer ON supervision_flows (buyer_ref, id DESC);
CREATE INDEX supervision_flows_unfinished ON supervision_flows (merchant_id) WHERE node NOT IN ('done', 'closed');
-- The to-do board's counters: flows waiting on the merchant, late ones.
CREATE INDEX supervision_flows_merchant_turn ON supervision_flows (merchant_id)
    WHERE node IN ('confirm', 'delivery') AND appeal <> 'open';
CREATE INDEX supervision_flows_merchant_late ON supervision_flows (merchant_id)
    WHERE sla_overdue_at IS NOT NULL AND node NOT IN ('done', 'closed');
-- The live timers.
CREATE INDEX supervision_flows_sla_due ON supervision_flows (sla_due_at) WHERE sla_due_at IS NOT NULL;
CREATE INDEX supervision_flows_accept_due ON supervision_flows (accept_due_at) WHERE accept_due_at IS NOT NULL;
CREATE INDEX supervision_flows_warn_due ON supervision_flows (warn_due_at) WHERE warn_due_at IS NOT NULL;
CREATE INDEX supervision_flows_old_rule_due ON supervision_flows (old_rule_due_at) WHERE old_rule_due_at IS NOT NULL;

-- The flow's history: one immutable row per event.
CREATE TABLE supervision_events (
    id             INTEGER PRIMARY KEY,
    flow_ref       INTEGER NOT NULL REFERENCES supervision_flows(id),
    at             DATETIME NOT NULL,
    kind           TEXT NOT NULL,
    party          TEXT NOT NULL CHECK (party IN ('buyer', 'merchant', 'ops', 'system')),
    actor          TEXT NOT NULL DEFAULT '',  -- e-mail, marketplace, or system:<what>
    actor_user_id  INTEGER REFERENCES users(id),
    node_from      TEXT NOT NULL DEFAULT '',
    node_to        TEXT NOT NULL DEFAULT '',
    text           TEXT NOT NULL DEFAULT '',
    detail         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX supervision_events_flow ON supervision_events (flow_ref, id);
-- +goose StatementBegin
CREATE TRIGGER supervision_events_no_update BEFORE UPDATE ON supervision_events BEGIN
    SELECT RAISE(ABORT, 'supervision events are immutable');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER supervision_events_no_delete BEFORE DELETE ON supervision_events BEGIN
    SELECT RAISE(ABORT, 'supervision events are immutable');
END;
-- +goose StatementEnd

-- Stored files (requirements, delivery documents, proofs, evidence,
-- templates). The bytes live in the configured directory outside the web
-- root under storage_name; sha256 goes into the evidence pack's manifest.
CREATE TABLE supervision_documents (
    id             INTEGER PRIMARY KEY,
    merchant_id    INTEGER NOT NULL REFERENCES merchants(id),
    flow_ref       INTEGER REFERENCES supervision_flows(id),
    event_ref      INTEGER REFERENCES supervision_events(id),
    product_ref    INTEGER REFERENCES products(id),  -- a requirement template
    kind           TEXT NOT NULL CHECK (kind IN ('requirements', 'delivery', 'proof', 'evidence', 'template')),
    party          TEXT NOT NULL CHECK (party IN ('buyer', 'merchant', 'ops', 'system')),
    file_name      TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size           INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    storage_name   TEXT NOT NULL UNIQUE,
    created_at     DATETIME NOT NULL,
    CHECK ((flow_ref IS NULL) = (kind = 'template'))
);
CREATE INDEX supervision_documents_flow ON supervision_documents (flow_ref, id) WHERE flow_ref IS NOT NULL;

CREATE TABLE supervision_appeals (
    id                 INTEGER PRIMARY KEY,
    flow_ref           INTEGER NOT NULL REFERENCES supervision_flows(id),
    merchant_id        INTEGER NOT NULL REFERENCES merchants(id),
    party              TEXT NOT NULL CHECK (party IN ('buyer', 'merchant')),
    filed_by           TEXT NOT NULL DEFAULT '',
    filed_by_user_id   INTEGER REFERENCES users(id),
    node               TEXT NOT NULL,  -- where the flow stood when it was filed
    reason             TEXT NOT NULL,
    outcome            TEXT NOT NULL CHECK (outcome IN ('accept', 'return', 'unsubscribe', 'other')),
    event_ref          INTEGER REFERENCES supervision_events(id),  -- carries the evidence documents
    state              TEXT NOT NULL CHECK (state IN ('open', 'ruled')),
    filed_at           DATETIME NOT NULL,
    due_at             DATETIME NOT NULL,  -- 3 working days
    warn_at            DATETIME NOT NULL,  -- 80 % of the working time
    warned_at          DATETIME,
    escalated_at       DATETIME,
    ruling             TEXT NOT NULL DEFAULT '' CHECK (ruling IN ('', 'dismiss', 'accept', 'return', 'unsubscribe')),
    ruling_reason      TEXT NOT NULL DEFAULT '',
    ruled_by           TEXT NOT NULL DEFAULT '',
    ruled_by_user_id   INTEGER REFERENCES users(id),
    ruled_at           DATETIME,
    CHECK ((state = 'ruled') = (ruling <> ''))
);
CREATE INDEX supervision_appeals_flow ON supervision_appeals (flow_ref, id);
CREATE INDEX supervision_appeals_queue ON supervision_appeals (due_at, id) WHERE state = 'open';
CREATE INDEX supervision_appeals_warn ON supervision_appeals (warn_at) WHERE state = 'open' AND warned_at IS NULL;
CREATE INDEX supervision_appeals_overdue ON supervision_appeals (due_at) WHERE state = 'open' AND escalated_at IS NULL;

-- The marketplace's buyer events, by their eventId: a repeat finds its row
-- and does nothing again.
CREATE TABLE supervision_buyer_events (
    flow_ref    INTEGER NOT NULL REFERENCES supervision_flows(id),
    event_id    TEXT NOT NULL,
    event       TEXT NOT NULL,
    event_ref   INTEGER NOT NULL REFERENCES supervision_events(id),
    created_at  DATETIME NOT NULL,
    PRIMARY KEY (flow_ref, event_id)
) WITHOUT ROWID;

-- Long-running supervision: one row. The 180-day weekly warnings always
-- run; the old 365-day rule (invoiced → accepted, else unsubscribed) only
-- when operations switches it on.
CREATE TABLE supervision_policy (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    warn_after_days    INTEGER NOT NULL DEFAULT 180,
    warn_every_days    INTEGER NOT NULL DEFAULT 7,
    old_rule_enabled   INTEGER NOT NULL DEFAULT 0,
    old_rule_days      INTEGER NOT NULL DEFAULT 365,
    summary_due_at     DATETIME,  -- the next weekly summary to merchants
    updated_by         TEXT NOT NULL DEFAULT '',
    updated_at         DATETIME
);
INSERT INTO supervision_policy (id) VALUES (1);

-- +goose Down
DROP TABLE supervision_policy;
DROP TABLE supervision_buyer_events;
DROP TABLE supervision_appeals;
DROP TABLE supervision_documents;
DROP TRIGGER supervision_events_no_delete;
DROP TRIGGER supervision_events_no_update;
DROP TABLE supervision_events;
DROP TABLE supervision_flows;
DROP TABLE supervision_settings;
