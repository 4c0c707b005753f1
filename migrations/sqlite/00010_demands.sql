-- +goose Up
-- 客户需求: operations assigns a demand to a merchant, who accepts (接收) or
-- rejects (拒绝, with a reason) within the window; an untouched demand closes
-- at its deadline (已关闭, 超时未接收). The deadline and the reminder instants
-- are computed from the assignment (its instant and window mode) through the
-- business-time engine and stored, so finding the due ones is one range scan
-- of a partial index over the open rows.
CREATE TABLE demands (
    id                  INTEGER PRIMARY KEY,
    merchant_id         INTEGER NOT NULL REFERENCES merchants(id),
    title               TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    -- the customer's display name only (a company or person name as the
    -- marketplace shows it); no contact data is stored here
    customer_name       TEXT NOT NULL,
    product_ref         INTEGER REFERENCES products(id),
    state               TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected', 'closed')),
    -- the acceptance window in force when the demand was assigned
    window_mode         TEXT NOT NULL CHECK (window_mode IN ('natural', 'working')),
    window_days         INTEGER NOT NULL,
    assigned_at         DATETIME NOT NULL,
    assigned_by         TEXT NOT NULL DEFAULT '',
    due_at              DATETIME NOT NULL,
    remind3_at          DATETIME NOT NULL,  -- 3 days left
    remind1_at          DATETIME NOT NULL,  -- 1 day left
    reminded3_at        DATETIME,
    reminded1_at        DATETIME,
    decided_at          DATETIME,
    decided_by_user_id  INTEGER REFERENCES users(id),
    decided_by          TEXT NOT NULL DEFAULT '',
    reject_reason       TEXT NOT NULL DEFAULT '',
    closed_at           DATETIME,
    close_reason        TEXT NOT NULL DEFAULT '' CHECK (close_reason IN ('', 'timeout', 'merchant')),
    order_ref           INTEGER REFERENCES orders(id),
    linked_at           DATETIME,
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL,
    CHECK ((state = 'rejected') = (reject_reason <> '')),
    CHECK ((state = 'closed') = (close_reason <> ''))
);
-- Lists: a merchant's demands newest first, by state; operations' across merchants.
CREATE INDEX demands_merchant ON demands (merchant_id, id DESC);
CREATE INDEX demands_merchant_state ON demands (merchant_id, state, id DESC);
CREATE INDEX demands_state ON demands (state, id DESC);
-- The timers: only open rows are in these indexes, so the sweep's queries
-- read just the due entries however many demands exist.
CREATE INDEX demands_due ON demands (due_at) WHERE state = 'pending';
CREATE INDEX demands_remind3 ON demands (remind3_at) WHERE state = 'pending' AND reminded3_at IS NULL;
CREATE INDEX demands_remind1 ON demands (remind1_at) WHERE state = 'pending' AND reminded1_at IS NULL;

-- The demand's history, one immutable row per event.
CREATE TABLE demand_events (
    id             INTEGER PRIMARY KEY,
    demand_id      INTEGER NOT NULL REFERENCES demands(id),
    at             DATETIME NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('assigned', 'accepted', 'rejected', 'timed_out', 'closed',
                                               'reminded', 'noted', 'linked')),
    actor_user_id  INTEGER REFERENCES users(id),
    actor          TEXT NOT NULL DEFAULT '',  -- e-mail, or system:<what>
    detail         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX demand_events_demand ON demand_events (demand_id, id);

-- 跟进记录: follow-up notes on an accepted demand.
CREATE TABLE demand_notes (
    id           INTEGER PRIMARY KEY,
    demand_id    INTEGER NOT NULL REFERENCES demands(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    author       TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   DATETIME NOT NULL
);
CREATE INDEX demand_notes_demand ON demand_notes (demand_id, id);

-- +goose Down
DROP TABLE demand_notes;
DROP TABLE demand_events;
DROP TABLE demands;
