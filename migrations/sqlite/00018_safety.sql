-- +goose Up
-- Login throttling by client address and account together: one row per
-- (address, e-mail) pair, and one per address with email = '' for failures
-- spread over many accounts. A failure pushes next_allowed_at out by a
-- delay that doubles; a success deletes the pair's row. Nothing here ever
-- blocks an account from another address.
CREATE TABLE login_throttle (
    ip               TEXT NOT NULL,
    email            TEXT NOT NULL,
    failures         INTEGER NOT NULL,
    last_failure_at  DATETIME NOT NULL,
    next_allowed_at  DATETIME NOT NULL,
    PRIMARY KEY (ip, email)
);
CREATE INDEX login_throttle_last ON login_throttle (last_failure_at);

-- Password reset tokens (忘记密码): only the SHA-256 of the token is kept;
-- a token works once, until expires_at.
CREATE TABLE password_resets (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  DATETIME NOT NULL,
    expires_at  DATETIME NOT NULL,
    used_at     DATETIME,
    ip          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);

-- Outgoing e-mail to one address, for any user (platform users included,
-- whom notification_channel_messages cannot address): written in the
-- transaction of the event, sent later by a mail sender, which renders
-- msg_id + ".subject" / ".body" with msg_args in lang.
CREATE TABLE mail_outbox (
    id                 INTEGER PRIMARY KEY,
    to_email           TEXT NOT NULL,
    recipient_user_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    lang               TEXT NOT NULL DEFAULT 'zh-CN',
    msg_id             TEXT NOT NULL,
    msg_args           TEXT NOT NULL DEFAULT '{}',
    status             TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts           INTEGER NOT NULL DEFAULT 0,
    created_at         DATETIME NOT NULL,
    sent_at            DATETIME
);
CREATE INDEX mail_outbox_pending ON mail_outbox (status, id);

-- +goose Down
DROP TABLE mail_outbox;
DROP TABLE password_resets;
DROP TABLE login_throttle;
