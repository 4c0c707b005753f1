package calendars

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
)

func TestShippedHolidaysSeededOnFirstUse(t *testing.T) {
	f := newFixture(t)
	if f.count("holidays", "") != 0 {
		t.Fatal("the migration should not hold the data twice")
	}
	h, err := f.svc.Holidays(ctx())
	if err != nil {
		t.Fatal(err)
	}
	want := bizclock.MainlandChina().Days()
	if got := h.Days(); len(got) != len(want) || len(want) == 0 {
		t.Fatalf("%d days, want %d", len(got), len(want))
	}
	if f.count("holidays", "") != int64(len(want)) || f.count("holiday_years", "confirmed = 0 AND year = 2027") != 1 {
		t.Fatal("shipped rows")
	}
	// A removed shipped day stays removed after a restart.
	if err := f.svc.RemoveHoliday(ctx(), f.ops, "2026-10-07"); err != nil {
		t.Fatal(err)
	}
	again := New(f.db.Gorm, f.clock)
	h, _ = again.Holidays(ctx())
	if h.IsOff(mustDate(t, "2026-10-07")) || len(h.Days()) != len(want)-1 {
		t.Fatal("a removed day came back on restart")
	}
}

func TestShippedReleaseReplacesOnlyUneditedPredictions(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.Holidays(ctx()); err != nil {
		t.Fatal(err)
	}
	confirmed := bizclock.HolidayYear{Year: 2027, Confirmed: true, Source: "https://example.org/2027",
		Days: []bizclock.Day{{Date: mustDate(t, "2027-10-01"), Kind: bizclock.KindOff, Name: "国庆节"}}}
	err := f.db.Gorm.Transaction(func(tx *gorm.DB) error { _, err := seedYear(tx, confirmed, f.clock.Now()); return err })
	if err != nil {
		t.Fatal(err)
	}
	if f.count("holidays", "year = 2027") != 1 || f.count("holiday_years", "year = 2027 AND confirmed = 1") != 1 {
		t.Fatal("the confirmed release did not replace the shipped prediction")
	}
	// Once operations touched a year, shipped data never overwrites it.
	if err := f.svc.AddHoliday(ctx(), f.ops, HolidayInput{Date: "2026-12-31", Kind: bizclock.KindOff, Name: "x"}); err != nil {
		t.Fatal(err)
	}
	var y2026 []bizclock.Day
	for _, d := range bizclock.MainlandChina().Days() {
		if d.Date.Year == 2026 {
			y2026 = append(y2026, d)
		}
	}
	err = f.db.Gorm.Transaction(func(tx *gorm.DB) error {
		tx.Exec("UPDATE holiday_years SET confirmed = 0 WHERE year = 2026")
		_, err := seedYear(tx, bizclock.HolidayYear{Year: 2026, Confirmed: true, Days: y2026[:1]}, f.clock.Now())
		return err
	})
	if err != nil || f.count("holidays", "year = 2026") != int64(len(y2026)+1) {
		t.Fatalf("an edited year was overwritten: %v", err)
	}
}

func TestHolidayEditor(t *testing.T) {
	f := newFixture(t)
	hookCalls := 0
	f.svc.OnHolidaysChange(func(ctx context.Context, tx *gorm.DB) error {
		if _, err := HolidaysTx(tx); err != nil {
			return err
		}
		hookCalls++
		return nil
	})
	view, err := f.svc.HolidayYear(ctx(), f.ops, 2026)
	if err != nil || !view.Known || !view.Confirmed || view.Off != 33 || view.Makeup != 6 || len(view.Years) != 3 {
		t.Fatalf("2026: %+v %v", view, err)
	}
	if hookCalls != 1 {
		t.Fatalf("copying the shipped data ran the hooks %d times, want 1", hookCalls)
	}
	hookCalls = 0
	// Another instance's cache must notice edits made here.
	other := New(f.db.Gorm, f.clock)
	if h, _ := other.Holidays(ctx()); h.IsOff(mustDate(t, "2026-12-25")) {
		t.Fatal("fixture")
	}
	if err := f.svc.AddHoliday(ctx(), f.ops, HolidayInput{Date: "2026-12-25", Kind: bizclock.KindOff, Name: "公司假日"}); err != nil {
		t.Fatal(err)
	}
	if h, _ := other.Holidays(ctx()); !h.IsOff(mustDate(t, "2026-12-25")) || h.Name(mustDate(t, "2026-12-25")) != "公司假日" {
		t.Fatal("the other instance kept a stale calendar")
	}
	if err := f.svc.AddHoliday(ctx(), f.ops, HolidayInput{Date: "2026-12-26", Kind: bizclock.KindWorkday}); err != nil {
		t.Fatal(err)
	}
	if h, _ := f.svc.Holidays(ctx()); !h.IsMakeup(mustDate(t, "2026-12-26")) {
		t.Fatal("make-up day not seen")
	}
	auditBefore := f.count("audit_log", "")
	daysBefore := f.count("holidays", "")
	for _, tc := range []struct {
		in           HolidayInput
		field, msgID string
	}{
		{HolidayInput{Date: "2026-02-30", Kind: bizclock.KindOff}, "date", "calendars.err.date_format"},
		{HolidayInput{Date: "26-12-01", Kind: bizclock.KindOff}, "date", "calendars.err.date_format"},
		{HolidayInput{Date: "2026-10-01", Kind: bizclock.KindOff}, "date", "calendars.err.date_taken_off"},
		{HolidayInput{Date: "2026-10-10", Kind: bizclock.KindOff}, "date", "calendars.err.date_taken_workday"},
		{HolidayInput{Date: "2026-12-29", Kind: bizclock.KindWorkday}, "date", "calendars.err.not_weekend"},
		{HolidayInput{Date: "2026-12-30", Kind: "maybe"}, "kind", "calendars.err.kind"},
		{HolidayInput{Date: "1999-12-31", Kind: bizclock.KindOff}, "date", "calendars.err.year_range"},
		{HolidayInput{Date: "2026-12-30", Kind: bizclock.KindOff, Name: string(make([]rune, 65))}, "name", "calendars.err.name_too_long"},
	} {
		var v *models.ValidationError
		if err := f.svc.AddHoliday(ctx(), f.ops, tc.in); !errors.As(err, &v) || v.Fields[tc.field].ID != tc.msgID {
			t.Errorf("%+v: got %v, want %s on %s", tc.in, err, tc.msgID, tc.field)
		}
	}
	if f.count("audit_log", "") != auditBefore || f.count("holidays", "") != daysBefore {
		t.Fatal("a refused day changed something")
	}
	if err := f.svc.RemoveHoliday(ctx(), f.ops, "2026-12-25"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RemoveHoliday(ctx(), f.ops, "2026-12-24"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("removing an unlisted day: %v", err)
	}
	if h, _ := other.Holidays(ctx()); h.IsOff(mustDate(t, "2026-12-25")) {
		t.Fatal("removal not seen")
	}
	if n := f.count("audit_log", "action IN (?, ?)", models.AuditHolidayAdded, models.AuditHolidayRemoved); n != 3 {
		t.Fatalf("%d audit rows, want 3", n)
	}
	if hookCalls != 3 {
		t.Fatalf("%d hook calls, want 3", hookCalls)
	}
	// Only the operations manager edits the calendar.
	if err := f.svc.AddHoliday(ctx(), f.owner, HolidayInput{Date: "2026-12-30", Kind: bizclock.KindOff}); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("an owner edited holidays: %v", err)
	}
	if _, err := f.svc.HolidayYear(ctx(), f.owner, 2026); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("an owner listed holidays: %v", err)
	}
}

func TestHolidayImport(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.Holidays(ctx()); err != nil {
		t.Fatal(err)
	}
	snapshot := func() [3]int64 {
		var rev int64
		f.db.SQL.QueryRow(`SELECT SUM(revision) FROM holiday_years`).Scan(&rev)
		return [3]int64{f.count("holidays", ""), rev, f.count("audit_log", "")}
	}
	before := snapshot()
	for _, tc := range []struct {
		name, file, msgID string
		line              int
	}{
		{"bad date on line 3", "date,kind,name\n2027-10-01,off,国庆节\n2027-02-29,off,春节\n", "calendars.import.bad_date", 3},
		{"duplicate", "2027-10-01,off,国庆节\n2027-10-01,off,国庆节\n", "calendars.import.duplicate", 2},
		{"off and make-up", "2027-10-02,off,国庆节\n2027-10-02,workday,国庆节\n", "calendars.import.off_and_workday", 2},
		{"garbage", "\x00\x01binary", "calendars.import.format", 1},
		{"json bad range", "{\"years\":[{\"year\":2027,\"holidays\":[{\"name\":\"x\",\"off\":[\"2027-10-07/2027-10-01\"]}]}]}", "calendars.import.bad_range", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.ImportHolidays(ctx(), f.ops, []byte(tc.file))
			var v *models.ValidationError
			if !errors.As(err, &v) || v.Fields["file"].ID != tc.msgID || v.Fields["file"].Args["Line"] != tc.line {
				t.Fatalf("got %v (%+v), want %s at line %d", err, v, tc.msgID, tc.line)
			}
			if snapshot() != before {
				t.Fatal("a refused file changed something")
			}
		})
	}
	if _, err := f.svc.ImportHolidays(ctx(), f.ops, make([]byte, MaxImportBytes+1)); err == nil {
		t.Fatal("an oversized file was accepted")
	}
	if _, err := f.svc.ImportHolidays(ctx(), f.owner, []byte("2027-10-01,off,x\n")); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("an owner imported: %v", err)
	}

	// A good file replaces 2027 (the prediction) and nothing else.
	y2026 := f.count("holidays", "year = 2026")
	res, err := f.svc.ImportHolidays(ctx(), f.ops, []byte("date,kind,name\n2027-10-01,off,国庆节\n2027-10-02,off,国庆节\n2027-09-26,workday,国庆节\n"))
	if err != nil || len(res.Years) != 1 || res.Years[0] != 2027 || res.Days != 3 {
		t.Fatalf("import: %+v %v", res, err)
	}
	if f.count("holidays", "year = 2027") != 3 || f.count("holidays", "year = 2026") != y2026 {
		t.Fatal("import replaced the wrong years")
	}
	h, _ := f.svc.Holidays(ctx())
	if h.IsOff(mustDate(t, "2027-02-05")) || !h.IsMakeup(mustDate(t, "2027-09-26")) {
		t.Fatal("the imported year is not what the calendar uses")
	}
	view, _ := f.svc.HolidayYear(ctx(), f.ops, 2027)
	if view.Origin != models.HolidayOriginImported || !view.Confirmed {
		t.Fatalf("year after import: %+v", view)
	}
	// A restart does not bring the shipped prediction back.
	if h, _ := New(f.db.Gorm, f.clock).Holidays(ctx()); h.IsOff(mustDate(t, "2027-02-05")) {
		t.Fatal("the shipped prediction came back over an import")
	}
	if f.count("audit_log", "action = ?", models.AuditHolidaysImported) != 1 {
		t.Fatal("import not audited")
	}
}

func TestEveryFileProblemHasAMessage(t *testing.T) {
	for _, p := range []string{bizclock.ProblemFormat, bizclock.ProblemBadDate, bizclock.ProblemBadRange,
		bizclock.ProblemBadKind, bizclock.ProblemBadYear, bizclock.ProblemDuplicate, bizclock.ProblemOffAndWorkday,
		bizclock.ProblemNotWeekend, bizclock.ProblemEmpty, bizclock.ProblemNameTooLong} {
		if importMsgs[p] == "" {
			t.Errorf("problem %s has no message", p)
		}
	}
}
