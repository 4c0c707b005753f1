package bizclock

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// HolidayFile is a holiday calendar as shipped and as operations import it:
// one block per announcement (a year's State Council notice), since a notice
// may list a make-up day in the year before.
type HolidayFile struct {
	Region string
	Years  []HolidayYear
}

// HolidayYear is one announcement: its days and where they come from.
type HolidayYear struct {
	Year      int
	Confirmed bool
	Source    string
	Note      string
	Days      []Day
}

// jsonHoliday is the file's readable shape: a holiday with its days off (a
// date or a "from/to" range) and its make-up workdays.
type jsonHoliday struct {
	Name     string   `json:"name"`
	Off      []string `json:"off"`
	Workdays []string `json:"workdays,omitempty"`
}

type jsonYear struct {
	Year      int           `json:"year"`
	Confirmed *bool         `json:"confirmed"` // absent: confirmed (an operator's file states facts)
	Source    string        `json:"source,omitempty"`
	Note      string        `json:"note,omitempty"`
	Holidays  []jsonHoliday `json:"holidays"`
}

type jsonFile struct {
	Region string     `json:"region,omitempty"`
	Years  []jsonYear `json:"years"`
}

// Problems a holiday file can have; the calendars package maps each to a
// localized message.
const (
	ProblemFormat        = "format"          // not JSON/CSV of the expected shape
	ProblemBadDate       = "bad_date"        // not YYYY-MM-DD or no such day
	ProblemBadRange      = "bad_range"       // from/to inverted or longer than a month
	ProblemBadKind       = "bad_kind"        // CSV kind other than off/workday
	ProblemBadYear       = "bad_year"        // year outside 2000..2100
	ProblemDuplicate     = "duplicate"       // the same date twice
	ProblemOffAndWorkday = "off_and_workday" // a date both off and make-up
	ProblemNotWeekend    = "not_weekend"     // a make-up workday on Monday–Friday
	ProblemEmpty         = "empty"           // no days at all
	ProblemNameTooLong   = "name_too_long"
)

// HolidayFileError refuses a whole file and says where: the line (1-based,
// 0 when unknown) and the date or value at fault.
type HolidayFileError struct {
	Line    int
	Value   string
	Problem string
}

func (e *HolidayFileError) Error() string {
	where := ""
	if e.Line > 0 {
		where = fmt.Sprintf("line %d: ", e.Line)
	}
	return fmt.Sprintf("bizclock: holiday file: %s%s (%s)", where, e.Problem, e.Value)
}

const maxRangeDays = 31
const maxNameLen = 64

// ParseHolidayFile reads a JSON (the shipped shape) or CSV
// (date,kind,name[,year]) holiday file and validates it whole: any bad date,
// duplicate, date both off and make-up, or make-up day on a weekday refuses
// the file with a *HolidayFileError naming the line and date.
func ParseHolidayFile(data []byte) (*HolidayFile, error) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return parseHolidayJSON(data)
	}
	return parseHolidayCSV(data)
}

func parseHolidayJSON(data []byte) (*HolidayFile, error) {
	var jf jsonFile
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&jf); err != nil {
		line := 0
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line = lineAt(data, int(se.Offset))
		}
		return nil, &HolidayFileError{Line: line, Value: err.Error(), Problem: ProblemFormat}
	}
	f := &HolidayFile{Region: jf.Region}
	seen := map[string]int{} // occurrences, to find the line of the nth
	for _, jy := range jf.Years {
		y := HolidayYear{Year: jy.Year, Confirmed: jy.Confirmed == nil || *jy.Confirmed, Source: jy.Source, Note: jy.Note}
		if y.Year < 2000 || y.Year > 2100 {
			return nil, &HolidayFileError{Line: lineOf(data, fmt.Sprintf(`%d`, y.Year), 1), Value: fmt.Sprint(y.Year), Problem: ProblemBadYear}
		}
		for _, h := range jy.Holidays {
			if len([]rune(h.Name)) > maxNameLen {
				return nil, &HolidayFileError{Line: lineOf(data, h.Name, 1), Value: h.Name, Problem: ProblemNameTooLong}
			}
			for _, s := range h.Off {
				seen[s]++
				ds, err := parseDateOrRange(s)
				if err != nil {
					err.Line = lineOf(data, `"`+s+`"`, seen[s])
					return nil, err
				}
				for _, d := range ds {
					y.Days = append(y.Days, Day{Date: d, Kind: KindOff, Name: h.Name})
				}
			}
			for _, s := range h.Workdays {
				seen[s]++
				d, err := ParseDate(strings.TrimSpace(s))
				if err != nil {
					return nil, &HolidayFileError{Line: lineOf(data, `"`+s+`"`, seen[s]), Value: s, Problem: ProblemBadDate}
				}
				y.Days = append(y.Days, Day{Date: d, Kind: KindWorkday, Name: h.Name})
			}
		}
		f.Years = append(f.Years, y)
	}
	if err := f.validate(func(d Date, nth int) int { return lineOf(data, d.String(), nth) }); err != nil {
		return nil, err
	}
	return f, nil
}

// parseDateOrRange reads "2025-10-01" or "2025-10-01/2025-10-08" (inclusive).
func parseDateOrRange(s string) ([]Date, *HolidayFileError) {
	s = strings.TrimSpace(s)
	from, to, isRange := strings.Cut(s, "/")
	a, err := ParseDate(strings.TrimSpace(from))
	if err != nil {
		return nil, &HolidayFileError{Value: s, Problem: ProblemBadDate}
	}
	if !isRange {
		return []Date{a}, nil
	}
	b, err := ParseDate(strings.TrimSpace(to))
	if err != nil {
		return nil, &HolidayFileError{Value: s, Problem: ProblemBadDate}
	}
	n := b.num() - a.num()
	if n < 0 || n >= maxRangeDays {
		return nil, &HolidayFileError{Value: s, Problem: ProblemBadRange}
	}
	out := make([]Date, 0, n+1)
	for i := 0; i <= n; i++ {
		out = append(out, a.AddDays(i))
	}
	return out, nil
}

func parseHolidayCSV(data []byte) (*HolidayFile, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	r.Comment = '#'
	byYear := map[int]*HolidayYear{}
	var order []int
	lines := map[Date]int{}
	dupLine := map[Date]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, &HolidayFileError{Line: line, Value: err.Error(), Problem: ProblemFormat}
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if strings.EqualFold(strings.TrimSpace(rec[0]), "date") {
			continue // header
		}
		if len(rec) < 2 || len(rec) > 4 {
			return nil, &HolidayFileError{Line: line, Value: strings.Join(rec, ","), Problem: ProblemFormat}
		}
		d, err := ParseDate(strings.TrimSpace(rec[0]))
		if err != nil {
			return nil, &HolidayFileError{Line: line, Value: rec[0], Problem: ProblemBadDate}
		}
		kind, ok := csvKind(rec[1])
		if !ok {
			return nil, &HolidayFileError{Line: line, Value: rec[1], Problem: ProblemBadKind}
		}
		name := ""
		if len(rec) > 2 {
			name = strings.TrimSpace(rec[2])
		}
		if len([]rune(name)) > maxNameLen {
			return nil, &HolidayFileError{Line: line, Value: name, Problem: ProblemNameTooLong}
		}
		year := d.Year
		if len(rec) > 3 && strings.TrimSpace(rec[3]) != "" {
			if _, err := fmt.Sscanf(strings.TrimSpace(rec[3]), "%d", &year); err != nil {
				return nil, &HolidayFileError{Line: line, Value: rec[3], Problem: ProblemBadYear}
			}
		}
		if year < 2000 || year > 2100 {
			return nil, &HolidayFileError{Line: line, Value: fmt.Sprint(year), Problem: ProblemBadYear}
		}
		if _, dup := lines[d]; dup {
			if _, again := dupLine[d]; !again {
				dupLine[d] = line
			}
		} else {
			lines[d] = line
		}
		hy := byYear[year]
		if hy == nil {
			hy = &HolidayYear{Year: year, Confirmed: true}
			byYear[year] = hy
			order = append(order, year)
		}
		hy.Days = append(hy.Days, Day{Date: d, Kind: kind, Name: name})
	}
	f := &HolidayFile{}
	slices.Sort(order)
	for _, y := range order {
		f.Years = append(f.Years, *byYear[y])
	}
	err := f.validate(func(d Date, nth int) int {
		if nth > 1 {
			return dupLine[d]
		}
		return lines[d]
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

func csvKind(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "off", "holiday", "休", "放假":
		return KindOff, true
	case "workday", "makeup", "班", "上班":
		return KindWorkday, true
	}
	return "", false
}

// validate checks the rules that span the whole file; line finds the line of
// a date's nth occurrence.
func (f *HolidayFile) validate(line func(Date, int) int) error {
	kinds := map[Date]string{}
	total := 0
	for _, y := range f.Years {
		for _, d := range y.Days {
			total++
			if prev, dup := kinds[d.Date]; dup {
				p := ProblemDuplicate
				if prev != d.Kind {
					p = ProblemOffAndWorkday
				}
				return &HolidayFileError{Line: line(d.Date, 2), Value: d.Date.String(), Problem: p}
			}
			kinds[d.Date] = d.Kind
			if wd := d.Date.Weekday(); d.Kind == KindWorkday && wd != time.Saturday && wd != time.Sunday {
				return &HolidayFileError{Line: line(d.Date, 1), Value: d.Date.String(), Problem: ProblemNotWeekend}
			}
		}
	}
	if total == 0 {
		return &HolidayFileError{Problem: ProblemEmpty}
	}
	return nil
}

// Set builds the HolidaySet of every day in the file.
func (f *HolidayFile) Set() *HolidaySet {
	off, work := map[Date]string{}, map[Date]string{}
	for _, y := range f.Years {
		for _, d := range y.Days {
			if d.Kind == KindOff {
				off[d.Date] = d.Name
			} else {
				work[d.Date] = d.Name
			}
		}
	}
	return NewHolidaySet(off, work)
}

// lineOf is the 1-based line of the nth occurrence of needle (0 if absent).
func lineOf(data []byte, needle string, nth int) int {
	if needle == "" {
		return 0
	}
	off := 0
	for i := 0; i < max(nth, 1); i++ {
		k := bytes.Index(data[off:], []byte(needle))
		if k < 0 {
			return 0
		}
		off += k
		if i < nth-1 {
			off += len(needle)
		}
	}
	return lineAt(data, off)
}

func lineAt(data []byte, off int) int {
	off = min(max(off, 0), len(data))
	return bytes.Count(data[:off], []byte("\n")) + 1
}
