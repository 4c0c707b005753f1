package bizclock_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models/bizclock"
)

func TestShippedMainlandFile(t *testing.T) {
	f := bizclock.MainlandChinaFile()
	years := map[int]bizclock.HolidayYear{}
	for _, y := range f.Years {
		years[y.Year] = y
	}
	for _, y := range []int{2025, 2026, 2027} {
		hy, ok := years[y]
		if !ok {
			t.Fatalf("year %d missing", y)
		}
		if hy.Confirmed && !strings.HasPrefix(hy.Source, "https://") {
			t.Errorf("%d is confirmed without a source URL", y)
		}
		if !hy.Confirmed && !strings.Contains(hy.Note, "UNCONFIRMED") {
			t.Errorf("%d is unconfirmed but its note does not say so: %q", y, hy.Note)
		}
	}
	if !years[2025].Confirmed || !years[2026].Confirmed {
		t.Error("2025 and 2026 were announced by the State Council")
	}
	// The notices' totals: days off (weekends inside a holiday included) and make-up days.
	for _, tc := range []struct {
		year, off, makeup int
	}{
		{2025, 1 + 8 + 3 + 5 + 3 + 8, 5},
		{2026, 3 + 9 + 3 + 5 + 3 + 3 + 7, 6},
	} {
		off, makeup := 0, 0
		for _, d := range years[tc.year].Days {
			if d.Kind == bizclock.KindOff {
				off++
			} else {
				makeup++
			}
		}
		if off != tc.off || makeup != tc.makeup {
			t.Errorf("%d: %d days off and %d make-up days, want %d and %d", tc.year, off, makeup, tc.off, tc.makeup)
		}
	}
}

func TestHolidayFileParsesBothFormats(t *testing.T) {
	jsonFile := `{"years":[{"year":2030,"confirmed":true,"source":"https://example.org/2030",
	  "holidays":[{"name":"国庆节","off":["2030-10-01/2030-10-07"],"workdays":["2030-09-29","2030-10-12"]}]}]}`
	csvFile := "date,kind,name\n2030-10-01,off,国庆节\n2030-10-02,休,国庆节\n2030-09-29,workday,国庆节\n\n# a comment\n2030-10-12,班,国庆节\n"
	for name, src := range map[string]string{"json": jsonFile, "csv": csvFile} {
		f, err := bizclock.ParseHolidayFile([]byte(src))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		h := f.Set()
		if !h.IsOff(date(t, "2030-10-02")) || !h.IsMakeup(date(t, "2030-09-29")) || !h.IsMakeup(date(t, "2030-10-12")) {
			t.Errorf("%s: wrong days %+v", name, h.Days())
		}
		if h.Name(date(t, "2030-10-01")) != "国庆节" {
			t.Errorf("%s: name %q", name, h.Name(date(t, "2030-10-01")))
		}
	}
}

// Every bad file is refused whole, naming the line and the date at fault.
func TestHolidayFileRefusals(t *testing.T) {
	for _, tc := range []struct {
		name, src, problem, value string
		line                      int
	}{
		{"csv bad date", "date,kind,name\n2030-10-01,off,a\n2030-02-30,off,b\n", bizclock.ProblemBadDate, "2030-02-30", 3},
		{"csv not a date", "2030-10-01,off,a\nsoon,off,b\n", bizclock.ProblemBadDate, "soon", 2},
		{"csv duplicate", "2030-10-01,off,a\n2030-10-02,off,a\n2030-10-01,off,a\n", bizclock.ProblemDuplicate, "2030-10-01", 3},
		{"csv off and make-up", "2030-10-05,off,a\n2030-10-06,off,a\n2030-10-05,workday,a\n", bizclock.ProblemOffAndWorkday, "2030-10-05", 3},
		{"csv make-up on a weekday", "2030-10-01,off,a\n2030-10-08,workday,a\n", bizclock.ProblemNotWeekend, "2030-10-08", 2},
		{"csv unknown kind", "2030-10-01,maybe,a\n", bizclock.ProblemBadKind, "maybe", 1},
		{"csv bad year", "2030-10-01,off,a,1850\n", bizclock.ProblemBadYear, "1850", 1},
		{"csv empty", "date,kind,name\n", bizclock.ProblemEmpty, "", 0},
		{"csv too many columns", "2030-10-01,off,a,2030,x\n", bizclock.ProblemFormat, "2030-10-01,off,a,2030,x", 1},
		{"json bad date", "{\"years\":[{\"year\":2030,\n\"holidays\":[{\"name\":\"x\",\n\"off\":[\"2030-02-30\"]}]}]}", bizclock.ProblemBadDate, "2030-02-30", 3},
		{"json inverted range", "{\"years\":[{\"year\":2030,\"holidays\":[\n{\"name\":\"x\",\"off\":[\"2030-10-07/2030-10-01\"]}]}]}", bizclock.ProblemBadRange, "2030-10-07/2030-10-01", 2},
		{"json overlapping ranges", "{\"years\":[{\"year\":2030,\"holidays\":[\n{\"name\":\"x\",\"off\":[\"2030-10-01/2030-10-03\"]},\n{\"name\":\"y\",\"off\":[\"2030-10-03\"]}]}]}", bizclock.ProblemDuplicate, "2030-10-03", 3},
		{"json off and make-up", "{\"years\":[{\"year\":2030,\"holidays\":[\n{\"name\":\"x\",\"off\":[\"2030-10-05\"],\n\"workdays\":[\"2030-10-05\"]}]}]}", bizclock.ProblemOffAndWorkday, "2030-10-05", 3},
		{"json unknown field", "{\"years\":[{\"year\":2030,\"holidays\":[{\"name\":\"x\",\"of\":[\"2030-10-05\"]}]}]}", bizclock.ProblemFormat, "", 0},
		{"json syntax", "{\"years\":[\n{\"year\":2030,,}]}", bizclock.ProblemFormat, "", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := bizclock.ParseHolidayFile([]byte(tc.src))
			var fe *bizclock.HolidayFileError
			if !errors.As(err, &fe) {
				t.Fatalf("got %v, %v; want a HolidayFileError", f, err)
			}
			if fe.Problem != tc.problem || fe.Line != tc.line || (tc.value != "" && fe.Value != tc.value) {
				t.Errorf("got %+v; want problem %s line %d value %q", fe, tc.problem, tc.line, tc.value)
			}
		})
	}
}

func TestHolidayFileKeepsAnnouncementYear(t *testing.T) {
	// A notice may list a make-up day in the previous December.
	f, err := bizclock.ParseHolidayFile([]byte("2030-12-28,workday,元旦,2031\n2031-01-01,off,元旦\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Years) != 1 || f.Years[0].Year != 2031 || len(f.Years[0].Days) != 2 {
		t.Fatalf("years = %+v", f.Years)
	}
	if wd := f.Years[0].Days[0].Date.Weekday(); wd != time.Saturday {
		t.Fatalf("fixture: %v", wd)
	}
}
