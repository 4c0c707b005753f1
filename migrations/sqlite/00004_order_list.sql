-- +goose Up
-- The order list (订单管理) shows order lines and filters on order fields; the
-- order's immutable fields are copied onto its lines so every filter and the
-- totals of a filtered set are answered from one table and its indexes.
ALTER TABLE order_lines ADD COLUMN order_code TEXT NOT NULL DEFAULT '';
ALTER TABLE order_lines ADD COLUMN order_type TEXT NOT NULL DEFAULT '';
ALTER TABLE order_lines ADD COLUMN ordered_at DATETIME;
ALTER TABLE order_lines ADD COLUMN buyer_ref INTEGER REFERENCES buyers(id);
-- 服务监管状态: none (不涉及), in_progress (进行中), done (已完成)
ALTER TABLE order_lines ADD COLUMN supervision TEXT NOT NULL DEFAULT 'none'
    CHECK (supervision IN ('none', 'in_progress', 'done'));

UPDATE order_lines SET
    order_code = (SELECT order_id FROM orders WHERE orders.id = order_lines.order_ref),
    order_type = (SELECT order_type FROM orders WHERE orders.id = order_lines.order_ref),
    ordered_at = (SELECT created_at FROM orders WHERE orders.id = order_lines.order_ref),
    buyer_ref  = (SELECT buyer_id FROM orders WHERE orders.id = order_lines.order_ref),
    supervision = CASE WHEN (SELECT supervised FROM products WHERE products.id = order_lines.product_ref) = 0 THEN 'none'
                       WHEN status IN ('completed', 'unsubscribed') THEN 'done'
                       ELSE 'in_progress' END;

-- Newest first with an (ordered_at, id) keyset; amount rides along so the
-- filtered totals need no table lookups.
CREATE INDEX order_lines_list ON order_lines (merchant_id, ordered_at DESC, id DESC, amount);
CREATE INDEX order_lines_list_status ON order_lines (merchant_id, status, ordered_at DESC, id DESC, amount);
CREATE INDEX order_lines_list_type ON order_lines (merchant_id, order_type, ordered_at DESC, id DESC, amount);
CREATE INDEX order_lines_list_product ON order_lines (merchant_id, product_ref, ordered_at DESC, id DESC, amount);
CREATE INDEX order_lines_list_code ON order_lines (merchant_id, order_code, id);
CREATE INDEX order_lines_list_buyer ON order_lines (merchant_id, buyer_ref, ordered_at DESC, id DESC, amount);
CREATE INDEX order_lines_all ON order_lines (ordered_at DESC, id DESC, amount);

-- +goose Down
DROP INDEX order_lines_all;
DROP INDEX order_lines_list_buyer;
DROP INDEX order_lines_list_code;
DROP INDEX order_lines_list_product;
DROP INDEX order_lines_list_type;
DROP INDEX order_lines_list_status;
DROP INDEX order_lines_list;
ALTER TABLE order_lines DROP COLUMN supervision;
ALTER TABLE order_lines DROP COLUMN buyer_ref;
ALTER TABLE order_lines DROP COLUMN ordered_at;
ALTER TABLE order_lines DROP COLUMN order_type;
ALTER TABLE order_lines DROP COLUMN order_code;
