-- +goose Up
-- The public-holiday calendar (节假日安排): the days off and make-up workdays
-- (调休) every deadline on working days or reception hours depends on.
-- Operations edit it at /admin/holidays. A new installation starts from the
-- data shipped in the binary (models/bizclock/holidays_cn.json), copied in
-- per announcement year the first time the calendars service runs: a year
-- row exists once its days were copied, so a day operations removed is never
-- put back, and a later release's new year is added by itself.
CREATE TABLE holiday_years (
    year       INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    confirmed  INTEGER NOT NULL DEFAULT 1,      -- 0: a prediction awaiting the State Council's notice
    source     TEXT NOT NULL DEFAULT '',        -- where the dates come from (URL)
    note       TEXT NOT NULL DEFAULT '',
    origin     TEXT NOT NULL CHECK (origin IN ('shipped', 'edited', 'imported')),
    -- 1 once the shipped data for this year was considered (copied, or
    -- skipped because operations imported the year first)
    shipped    INTEGER NOT NULL DEFAULT 0,
    -- bumped on every change, so every instance sees that its cached
    -- calendar is stale with one small query
    revision   INTEGER NOT NULL DEFAULT 1,
    updated_at DATETIME NOT NULL
);

CREATE TABLE holidays (
    id         INTEGER PRIMARY KEY,
    day        TEXT NOT NULL UNIQUE CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    -- the announcement the day belongs to: a notice may list a make-up day
    -- in the December before its year
    year       INTEGER NOT NULL REFERENCES holiday_years(year),
    kind       TEXT NOT NULL CHECK (kind IN ('off', 'workday')),
    name       TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX holidays_year ON holidays (year, day);

-- Reception hours (接待时间) of a merchant: whether it takes tickets at all
-- (是否接待), its days and hours (处理日期, 处理时间) in its zone, and whether
-- public holidays close it. No row: the merchant has not set reception and
-- takes no tickets.
CREATE TABLE reception_settings (
    merchant_id      INTEGER PRIMARY KEY REFERENCES merchants(id),
    receiving        INTEGER NOT NULL DEFAULT 0,
    time_zone        TEXT NOT NULL,
    follows_holidays INTEGER NOT NULL DEFAULT 1,
    -- JSON: seven lists (Sunday first) of [from, to] wall-clock minutes
    week             TEXT NOT NULL,
    updated_at       DATETIME NOT NULL,
    updated_by       INTEGER REFERENCES users(id)
);

-- +goose Down
DROP TABLE reception_settings;
DROP INDEX holidays_year;
DROP TABLE holidays;
DROP TABLE holiday_years;
