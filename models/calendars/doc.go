// Package calendars keeps the calendars behind every deadline in the
// database: the installation's public-holiday calendar (shipped data plus
// operations' edits) and each merchant's reception hours (接待时间). It turns
// them into bizclock values; the arithmetic lives in models/bizclock. Tables:
// migrations/00008_calendars.sql.
//
// # Holidays
//
// /admin/holidays (the operations manager) shows the year's days off and
// make-up days; operations add or remove one day, or import a JSON (the
// shipped format) or CSV (date,kind,name[,year]) file that replaces the years
// it covers. A file with one bad date, a duplicate, a date both off and
// make-up, or a make-up day on a weekday is refused whole with the line
// named. Every edit is audited and runs the change hooks (OnHolidaysChange:
// tickets and demands recompute their deadlines in the same transaction).
//
// The shipped data is copied in per year at start (EnsureShipped); a year
// operations edited or imported is never overwritten, an unedited prediction
// is replaced when a release ships the confirmed dates. The set is cached per
// instance and revalidated with one small query per use (a revision counter),
// so several instances agree.
//
// # Reception hours
//
// /settings/reception (owner and operations staff): 是否接待, the days
// (处理日期) and up to 6 ranges a day (处理时间), the zone, and whether holidays
// close it. Refused with the message at the field, nothing saved: under 5×8
// (five days of at least 8 h), overlapping or inverted ranges, times outside
// 00:00–24:00, unknown zones. A merchant that never saved, or says 否,
// receives no tickets. Saving runs the OnReceptionChange hooks inside the
// save transaction.
package calendars
