// Package i18n is the message catalog: Simplified Chinese first, English
// second. Text lives in locales/*.json (zh-CN.json, en.json, and
// <area>.<lang>.json per area), never in code; code names messages by id.
//
// The catalog is go-i18n's (JSON files, template data for placeholders).
// Language choice: the user's saved choice, else a cookie (for the login
// page), else Accept-Language, else Chinese.
package i18n
