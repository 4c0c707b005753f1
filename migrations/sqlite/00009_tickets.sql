-- +goose Up
-- 工单: tickets buyers open through the intake API or the buyer pages. The
-- first-response deadline is never counted down: it is recomputed from the
-- ticket's events through the merchant's reception calendar, and the result
-- is stored in warn_at / due_at so the sweep finds what is due with one
-- indexed query on next_alert_at.
CREATE TABLE tickets (
    id                 INTEGER PRIMARY KEY,
    merchant_id        INTEGER NOT NULL REFERENCES merchants(id),
    ticket_id          TEXT NOT NULL UNIQUE,          -- the marketplace's id
    product_ref        INTEGER NOT NULL REFERENCES products(id),
    buyer_ref          INTEGER NOT NULL REFERENCES buyers(id),
    customer_name_enc  TEXT NOT NULL,                 -- as sent with the ticket, sealed (PII)
    title              TEXT NOT NULL,
    content            TEXT NOT NULL,
    state              TEXT NOT NULL CHECK (state IN ('pending', 'processing', 'awaiting_customer', 'done', 'revoked')),
    source             TEXT NOT NULL CHECK (source IN ('api', 'buyer')),
    request_hash       TEXT NOT NULL DEFAULT '',      -- a repeat of the same ticketId must match it
    created_at         DATETIME NOT NULL,             -- when the buyer opened it (createTime)
    received_at        DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL,
    closed_at          DATETIME,
    assignee_id        INTEGER REFERENCES users(id),
    -- The current first-response clock: round 1 starts at creation, each
    -- reopening starts the next.
    round              INTEGER NOT NULL DEFAULT 1,
    clock_start_at     DATETIME NOT NULL,
    warn_at            DATETIME,                      -- 80 %; NULL: no deadline now (paused, not receiving)
    due_at             DATETIME,                      -- 100 %
    first_response_at  DATETIME,                      -- the round's first public merchant reply
    first_response_by  INTEGER REFERENCES users(id),
    first_response_sec INTEGER,                       -- reception seconds it took
    warned_at          DATETIME,                      -- fired markers of the round
    breached_at        DATETIME,
    -- The next alert to fire: warn_at until warned, then due_at until
    -- breached, NULL when nothing is left to fire. The sweep reads only this.
    next_alert_at      DATETIME
);
CREATE INDEX tickets_alert ON tickets (next_alert_at) WHERE next_alert_at IS NOT NULL;
CREATE INDEX tickets_merchant ON tickets (merchant_id, id DESC);
CREATE INDEX tickets_merchant_state ON tickets (merchant_id, state, id DESC);
CREATE INDEX tickets_merchant_due ON tickets (merchant_id, due_at) WHERE due_at IS NOT NULL AND first_response_at IS NULL;
CREATE INDEX tickets_buyer ON tickets (buyer_ref, id DESC);

-- The history a deadline is recomputed from (state changes give the pauses)
-- and the SLA report reads (clock starts, responses, warnings, breaches).
CREATE TABLE ticket_events (
    id             INTEGER PRIMARY KEY,
    ticket_ref     INTEGER NOT NULL REFERENCES tickets(id),
    merchant_id    INTEGER NOT NULL REFERENCES merchants(id),
    round          INTEGER NOT NULL,
    at             DATETIME NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('created', 'state', 'clock_started', 'responded', 'warned',
                                                 'breached', 'assigned', 'recomputed')),
    from_state     TEXT NOT NULL DEFAULT '',
    to_state       TEXT NOT NULL DEFAULT '',
    actor_kind     TEXT NOT NULL CHECK (actor_kind IN ('marketplace', 'buyer', 'staff', 'system')),
    actor_user_id  INTEGER REFERENCES users(id),
    elapsed_sec    INTEGER NOT NULL DEFAULT 0,        -- responded: business seconds since the clock started
    breached       INTEGER NOT NULL DEFAULT 0         -- responded: after the due instant
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_ref, id);
CREATE INDEX ticket_events_report ON ticket_events (merchant_id, kind, at);

-- The conversation: the buyer's messages, public replies, internal notes.
CREATE TABLE ticket_messages (
    id              INTEGER PRIMARY KEY,
    ticket_ref      INTEGER NOT NULL REFERENCES tickets(id),
    merchant_id     INTEGER NOT NULL REFERENCES merchants(id),
    kind            TEXT NOT NULL CHECK (kind IN ('buyer', 'reply', 'note')),
    author_user_id  INTEGER REFERENCES users(id),
    author_name     TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    created_at      DATETIME NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_ref, id);

-- Attachment metadata; the bytes live in a directory beside the database,
-- outside the web root, under a name of ours (storage_name).
CREATE TABLE ticket_attachments (
    id            INTEGER PRIMARY KEY,
    ticket_ref    INTEGER NOT NULL REFERENCES tickets(id),
    merchant_id   INTEGER NOT NULL REFERENCES merchants(id),
    message_ref   INTEGER NOT NULL REFERENCES ticket_messages(id),
    file_name     TEXT NOT NULL,                      -- the uploader's name, cleaned
    content_type  TEXT NOT NULL,                      -- sniffed from the bytes
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    storage_name  TEXT NOT NULL UNIQUE,
    uploaded_by   INTEGER REFERENCES users(id),
    created_at    DATETIME NOT NULL
);
CREATE INDEX ticket_attachments_ticket ON ticket_attachments (ticket_ref, id);

-- Notifications on other channels (SMS, e-mail) than the in-app 站内信 row
-- they mirror: an outbox a delivery worker sends from. Texts are catalog ids
-- with data, rendered in the recipient's language when sent.
CREATE TABLE notification_channel_messages (
    id                 INTEGER PRIMARY KEY,
    merchant_id        INTEGER NOT NULL REFERENCES merchants(id),
    notification_ref   INTEGER REFERENCES notifications(id),
    channel            TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    recipient_user_id  INTEGER REFERENCES users(id),
    type_code          INTEGER NOT NULL,
    msg_id             TEXT NOT NULL,
    msg_args           TEXT NOT NULL DEFAULT '{}',
    status             TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts           INTEGER NOT NULL DEFAULT 0,
    created_at         DATETIME NOT NULL,
    sent_at            DATETIME
);
CREATE INDEX notification_channel_messages_pending ON notification_channel_messages (status, id);
CREATE INDEX notification_channel_messages_merchant ON notification_channel_messages (merchant_id, id DESC);

-- +goose Down
DROP TABLE notification_channel_messages;
DROP TABLE ticket_attachments;
DROP TABLE ticket_messages;
DROP TABLE ticket_events;
DROP TABLE tickets;
