-- PostgreSQL baseline: the schema of SQLite version 24 in one step (being written).
-- +goose Up
SELECT 1;
-- +goose Down
SELECT 1;
