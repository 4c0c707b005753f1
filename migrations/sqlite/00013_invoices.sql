-- +goose Up
-- 发票管理. 给用户开票: a buyer (through the marketplace or the buyer pages)
-- asks for an invoice over chosen paid order lines of one merchant; finance
-- issues it (number, date, the PDF/OFD file), rejects it, or the buyer
-- revokes it while pending. An issued invoice is never edited, only returned
-- (退票 → 退票中 → 已退票, with the 红字发票信息确认单 number for 数电), after
-- which its lines may be invoiced again. 平台费发票: monthly settlement
-- statements per merchant and the merchant's requests for the platform-fee
-- invoice over chosen statements.
CREATE TABLE invoices (
    id                   INTEGER PRIMARY KEY,
    merchant_id          INTEGER NOT NULL REFERENCES merchants(id),
    buyer_ref            INTEGER NOT NULL REFERENCES buyers(id),
    customer_id          TEXT NOT NULL,             -- the marketplace customerId, as the API speaks it
    -- the marketplace's idempotency key: the same requestId is the same request
    request_id           TEXT NOT NULL UNIQUE,
    request_hash         TEXT NOT NULL,             -- a repeat with other content is a conflict
    source               TEXT NOT NULL CHECK (source IN ('api', 'buyer', 'reissue')),
    reissue_of           INTEGER REFERENCES invoices(id),
    title                TEXT NOT NULL,             -- 抬头
    tax_id               TEXT NOT NULL DEFAULT '',  -- 税号
    kind                 TEXT NOT NULL CHECK (kind IN ('normal', 'special')),  -- 数电普票 | 数电专票
    address              TEXT NOT NULL DEFAULT '',
    phone                TEXT NOT NULL DEFAULT '',
    bank                 TEXT NOT NULL DEFAULT '',
    account              TEXT NOT NULL DEFAULT '',
    email                TEXT NOT NULL,
    currency             TEXT NOT NULL CHECK (currency IN ('CNY', 'USD')),
    amount               INTEGER NOT NULL CHECK (amount > 0),  -- minor units, the lines net of refunds
    status               TEXT NOT NULL CHECK (status IN ('pending', 'issued', 'revoked', 'rejected', 'returning', 'returned')),
    -- a refund hit an issued invoice: it must be returned (需退票)
    needs_return         INTEGER NOT NULL DEFAULT 0,
    needs_return_at      DATETIME,
    requested_at         DATETIME NOT NULL,
    -- 3 working days after the request: a pending invoice past it is overdue
    overdue_at           DATETIME NOT NULL,
    invoice_number       TEXT NOT NULL DEFAULT '',
    invoice_date         TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD as printed on the invoice
    issued_at            DATETIME,
    issued_by            INTEGER REFERENCES users(id),
    -- the issued file, stored outside the web root under a name of ours
    file_name            TEXT NOT NULL DEFAULT '',
    file_type            TEXT NOT NULL DEFAULT '',
    file_size            INTEGER NOT NULL DEFAULT 0,
    file_sha256          TEXT NOT NULL DEFAULT '',
    file_storage         TEXT NOT NULL DEFAULT '',
    reject_reason        TEXT NOT NULL DEFAULT '',
    return_reason        TEXT NOT NULL DEFAULT '',
    -- four-eyes: whether this return needed a second person, and who
    return_needs_approval INTEGER NOT NULL DEFAULT 0,
    return_requested_by  INTEGER REFERENCES users(id),
    return_requested_at  DATETIME,
    return_approved_by   INTEGER REFERENCES users(id),
    return_approved_at   DATETIME,
    red_letter_no        TEXT NOT NULL DEFAULT '',  -- 红字发票信息确认单编号
    closed_at            DATETIME,
    created_at           DATETIME NOT NULL,
    updated_at           DATETIME NOT NULL,
    CHECK ((status = 'rejected') = (reject_reason <> '')),
    CHECK (status NOT IN ('issued', 'returning', 'returned') OR (invoice_number <> '' AND file_storage <> '')),
    CHECK (status <> 'returned' OR red_letter_no <> ''),
    CHECK (kind <> 'special' OR (address <> '' AND phone <> '' AND bank <> '' AND account <> ''))
);
-- Keyset pages newest first, per merchant and per filter; operations across merchants.
CREATE INDEX invoices_merchant ON invoices (merchant_id, requested_at DESC, id DESC);
CREATE INDEX invoices_merchant_status ON invoices (merchant_id, status, requested_at DESC, id DESC);
CREATE INDEX invoices_merchant_buyer ON invoices (merchant_id, buyer_ref, requested_at DESC, id DESC);
CREATE INDEX invoices_needs_return ON invoices (merchant_id, requested_at DESC, id DESC) WHERE needs_return = 1;
CREATE INDEX invoices_overdue ON invoices (merchant_id, overdue_at) WHERE status = 'pending';
CREATE INDEX invoices_all ON invoices (requested_at DESC, id DESC);
CREATE INDEX invoices_all_status ON invoices (status, requested_at DESC, id DESC);
CREATE INDEX invoices_buyer ON invoices (buyer_ref, requested_at DESC, id DESC);
-- Reconciliation: what was invoiced per month of issue, read from the index alone.
CREATE INDEX invoices_issued_month ON invoices (merchant_id, status, issued_at, currency, amount);

-- The order lines an invoice covers and the amount of each (net of refunds
-- when requested). live mirrors the invoice's status (pending, issued,
-- returning) through the trigger below, so a line is on at most one live
-- invoice by a unique index, whatever path writes.
CREATE TABLE invoice_lines (
    id              INTEGER PRIMARY KEY,
    invoice_ref     INTEGER NOT NULL REFERENCES invoices(id),
    merchant_id     INTEGER NOT NULL REFERENCES merchants(id),
    order_line_ref  INTEGER NOT NULL REFERENCES order_lines(id),
    amount          INTEGER NOT NULL CHECK (amount > 0),
    live            INTEGER NOT NULL DEFAULT 1,
    UNIQUE (invoice_ref, order_line_ref)
);
CREATE UNIQUE INDEX invoice_lines_one_live ON invoice_lines (order_line_ref) WHERE live = 1;
CREATE INDEX invoice_lines_line ON invoice_lines (order_line_ref, invoice_ref);

-- +goose StatementBegin
CREATE TRIGGER invoices_lines_live AFTER UPDATE OF status ON invoices BEGIN
    UPDATE invoice_lines SET live = (NEW.status IN ('pending', 'issued', 'returning'))
    WHERE invoice_ref = NEW.id AND live <> (NEW.status IN ('pending', 'issued', 'returning'));
END;
-- +goose StatementEnd

-- The invoice's timeline, one immutable row per event.
CREATE TABLE invoice_events (
    id             INTEGER PRIMARY KEY,
    invoice_ref    INTEGER NOT NULL REFERENCES invoices(id),
    merchant_id    INTEGER NOT NULL REFERENCES merchants(id),
    at             DATETIME NOT NULL,
    kind           TEXT NOT NULL,
    actor_user_id  INTEGER REFERENCES users(id),
    actor          TEXT NOT NULL DEFAULT '',  -- e-mail, customer id, or system:<what>
    detail         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX invoice_events_invoice ON invoice_events (invoice_ref, id);
-- +goose StatementBegin
CREATE TRIGGER invoice_events_immutable BEFORE UPDATE ON invoice_events BEGIN
    SELECT RAISE(ABORT, 'invoice events are immutable');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER invoice_events_kept BEFORE DELETE ON invoice_events BEGIN
    SELECT RAISE(ABORT, 'invoice events are immutable');
END;
-- +goose StatementEnd

-- Per merchant: whether a 退票 needs a second finance/owner user's approval.
CREATE TABLE invoice_settings (
    merchant_id       INTEGER PRIMARY KEY REFERENCES merchants(id),
    four_eyes_return  INTEGER NOT NULL DEFAULT 0,
    updated_by        INTEGER REFERENCES users(id),
    updated_at        DATETIME NOT NULL
);

-- What refunds took off paid lines: an UNSUBSCRIBE (退订) or a renewal
-- cancellation (退续费) of an instance, spread over that instance's paid
-- lines newest first. Written by the provisioning core's transaction that
-- applies the refund; a line's invoiceable amount is its amount less these.
CREATE TABLE line_refunds (
    id               INTEGER PRIMARY KEY,
    merchant_id      INTEGER NOT NULL REFERENCES merchants(id),
    line_ref         INTEGER NOT NULL REFERENCES order_lines(id),  -- the paid line refunded
    refund_line_ref  INTEGER NOT NULL REFERENCES order_lines(id),  -- the refunding order's line
    kind             TEXT NOT NULL CHECK (kind IN ('unsubscribe', 'renewal_cancel', 'downgrade')),
    amount           INTEGER NOT NULL CHECK (amount >= 0),
    at               DATETIME NOT NULL,
    UNIQUE (line_ref, refund_line_ref)
);
CREATE INDEX line_refunds_refund ON line_refunds (refund_line_ref);
CREATE INDEX line_refunds_merchant ON line_refunds (merchant_id, at, id);

-- 佣金: the platform's commission in basis points, per merchant, with an
-- optional per-product override (product_ref NULL is the merchant's rate).
CREATE TABLE commission_rates (
    id           INTEGER PRIMARY KEY,
    merchant_id  INTEGER NOT NULL REFERENCES merchants(id),
    product_ref  INTEGER REFERENCES products(id),
    rate_bp      INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
    updated_by   TEXT NOT NULL DEFAULT '',
    updated_at   DATETIME NOT NULL
);
CREATE UNIQUE INDEX commission_rates_key ON commission_rates (merchant_id, ifnull(product_ref, 0));

-- 结算单: per merchant, month and currency. Sales are lines that passed the
-- settlement gate and were not settled before; refunds and downgrades are
-- negative lines in the month they happened. A paid statement is final.
CREATE TABLE settlement_statements (
    id            INTEGER PRIMARY KEY,
    merchant_id   INTEGER NOT NULL REFERENCES merchants(id),
    month         TEXT NOT NULL,   -- YYYY-MM (UTC)
    currency      TEXT NOT NULL,
    gross         INTEGER NOT NULL,
    fee           INTEGER NOT NULL,
    refunds       INTEGER NOT NULL,  -- <= 0: the refunds' gross
    net           INTEGER NOT NULL,  -- gross + refunds - fee
    line_count    INTEGER NOT NULL,
    paid          INTEGER NOT NULL DEFAULT 0,
    paid_at       DATETIME,
    generated_at  DATETIME NOT NULL,
    UNIQUE (merchant_id, month, currency)
);
CREATE INDEX settlement_statements_merchant ON settlement_statements (merchant_id, month DESC, id DESC);

CREATE TABLE statement_lines (
    id              INTEGER PRIMARY KEY,
    statement_ref   INTEGER NOT NULL REFERENCES settlement_statements(id),
    merchant_id     INTEGER NOT NULL,
    order_line_ref  INTEGER NOT NULL,
    refund_ref      INTEGER,          -- the line_refunds row of a negative line
    kind            TEXT NOT NULL CHECK (kind IN ('sale', 'refund', 'downgrade')),
    gross           INTEGER NOT NULL,
    rate_bp         INTEGER NOT NULL,
    fee             INTEGER NOT NULL
);
CREATE INDEX statement_lines_statement ON statement_lines (statement_ref, id);
-- A sale or a refund is settled once.
CREATE UNIQUE INDEX statement_lines_sale ON statement_lines (order_line_ref) WHERE kind = 'sale';
CREATE UNIQUE INDEX statement_lines_refund ON statement_lines (refund_ref) WHERE kind <> 'sale';

-- 索取平台费发票: the merchant asks the platform for the invoice of its fees
-- over chosen statements; operations issue it or reject it.
CREATE TABLE platform_fee_requests (
    id              INTEGER PRIMARY KEY,
    merchant_id     INTEGER NOT NULL REFERENCES merchants(id),
    kind            TEXT NOT NULL CHECK (kind IN ('normal', 'special')),
    title           TEXT NOT NULL,
    tax_id          TEXT NOT NULL,
    address         TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    bank            TEXT NOT NULL DEFAULT '',
    account         TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL,
    currency        TEXT NOT NULL,
    amount          INTEGER NOT NULL CHECK (amount > 0),  -- the statements' fees, net
    status          TEXT NOT NULL CHECK (status IN ('pending', 'issued', 'rejected')),
    requested_by    INTEGER REFERENCES users(id),
    invoice_number  TEXT NOT NULL DEFAULT '',
    file_name       TEXT NOT NULL DEFAULT '',
    file_type       TEXT NOT NULL DEFAULT '',
    file_size       INTEGER NOT NULL DEFAULT 0,
    file_sha256     TEXT NOT NULL DEFAULT '',
    file_storage    TEXT NOT NULL DEFAULT '',
    reject_reason   TEXT NOT NULL DEFAULT '',
    decided_by      TEXT NOT NULL DEFAULT '',
    decided_at      DATETIME,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    CHECK ((status = 'rejected') = (reject_reason <> '')),
    CHECK (status <> 'issued' OR invoice_number <> ''),
    CHECK (kind <> 'special' OR (address <> '' AND phone <> '' AND bank <> '' AND account <> ''))
);
CREATE INDEX platform_fee_requests_merchant ON platform_fee_requests (merchant_id, id DESC);
CREATE INDEX platform_fee_requests_status ON platform_fee_requests (status, id DESC);

CREATE TABLE platform_fee_statements (
    request_ref    INTEGER NOT NULL REFERENCES platform_fee_requests(id),
    statement_ref  INTEGER NOT NULL REFERENCES settlement_statements(id),
    live           INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (request_ref, statement_ref)
);
CREATE UNIQUE INDEX platform_fee_statements_one_live ON platform_fee_statements (statement_ref) WHERE live = 1;
-- +goose StatementBegin
CREATE TRIGGER platform_fee_requests_live AFTER UPDATE OF status ON platform_fee_requests BEGIN
    UPDATE platform_fee_statements SET live = (NEW.status <> 'rejected') WHERE request_ref = NEW.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER platform_fee_requests_live;
DROP TABLE platform_fee_statements;
DROP TABLE platform_fee_requests;
DROP TABLE statement_lines;
DROP TABLE settlement_statements;
DROP TABLE commission_rates;
DROP TABLE line_refunds;
DROP TABLE invoice_settings;
DROP TRIGGER invoice_events_kept;
DROP TRIGGER invoice_events_immutable;
DROP TABLE invoice_events;
DROP TRIGGER invoices_lines_live;
DROP TABLE invoice_lines;
DROP TABLE invoices;
