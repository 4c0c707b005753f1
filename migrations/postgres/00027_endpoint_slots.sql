-- Leases on a merchant endpoint's concurrency slots, shared by every instance
-- on this database: max_concurrency is the merchant's limit, not each
-- instance's. A lease expires so a dead instance's slot frees.
-- +goose Up
CREATE TABLE endpoint_slots (
    merchant_id BIGINT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    slot        BIGINT NOT NULL,
    holder      TEXT,
    expires_at  TIMESTAMPTZ,
    PRIMARY KEY (merchant_id, slot)
);

-- +goose Down
DROP TABLE endpoint_slots;
