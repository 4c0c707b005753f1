-- +goose Up
-- An attempt is logged once, when its answer is recorded, instead of as an
-- in-flight row first and an update later: the claim before the send is one
-- small update of the call, and the log's seven indexes are written once per
-- attempt. inflight_at is when the attempt now in flight was claimed; an
-- attempt still claimed when the call is next claimed died before its
-- answer was recorded, and is logged then as interrupted (at this instant).
ALTER TABLE calls ADD COLUMN inflight_at DATETIME;

-- Rows an earlier build left in flight: while migrations run no attempt of
-- this process is under way, so each belongs to a process that died.
UPDATE interface_messages SET outcome = 'interrupted', error_class = 'interrupted' WHERE outcome = 'in_flight';

-- +goose Down
ALTER TABLE calls DROP COLUMN inflight_at;
