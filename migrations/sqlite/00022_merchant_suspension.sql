-- +goose Up
-- When a merchant was suspended: on resume its open calls move forward by the
-- time it was suspended, so a suspension never eats into a retry window.
ALTER TABLE merchants ADD COLUMN suspended_at DATETIME;

-- Notifications for the platform's operations managers (appeals to rule,
-- demands handed to the platform): shared by every operations manager, read
-- once for all. merchant_id names the merchant the event concerns (no
-- foreign key: the row outlives nothing, it only labels).
CREATE TABLE platform_notifications (
    id           INTEGER PRIMARY KEY,
    merchant_id  INTEGER NOT NULL DEFAULT 0,
    type_code    INTEGER NOT NULL,
    msg_id       TEXT NOT NULL,
    msg_args     TEXT NOT NULL DEFAULT '{}',
    link         TEXT NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    read_at      DATETIME
);
CREATE INDEX platform_notifications_unread ON platform_notifications (read_at);

-- +goose Down
DROP TABLE platform_notifications;
ALTER TABLE merchants DROP COLUMN suspended_at;
