-- Leases on a merchant endpoint's concurrency slots, shared by every instance
-- of the app on one database (PostgreSQL): max_concurrency is the merchant's
-- limit, not each instance's. A lease expires so a dead instance's slot frees.
-- +goose Up
CREATE TABLE endpoint_slots (
    merchant_id INTEGER NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    slot        INTEGER NOT NULL,
    holder      TEXT,
    expires_at  DATETIME,
    PRIMARY KEY (merchant_id, slot)
);

-- +goose Down
DROP TABLE endpoint_slots;
