-- +goose Up
-- Sub-users an owner added, pending until accepted. user_id names the user
-- made for a free address (it logs in with the owner's password, which
-- accepts); it stays NULL for an address that belongs to an account
-- elsewhere, so such a row can never become a login for this merchant.
CREATE TABLE user_invitations (
    id            INTEGER PRIMARY KEY,
    merchant_id   INTEGER NOT NULL REFERENCES merchants(id),
    email         TEXT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at    DATETIME NOT NULL,
    accepted_at   DATETIME,
    cancelled_at  DATETIME
);
CREATE INDEX user_invitations_merchant ON user_invitations (merchant_id, created_at);
CREATE INDEX user_invitations_user ON user_invitations (user_id);

-- +goose Down
DROP TABLE user_invitations;
