package calendars

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/bizclock"
)

// The reception rules (接待时间): at least MinDays days with at least
// MinDayMinutes each (5×8), at most MaxRanges ranges a day.
const (
	MinDays       = 5
	MinDayMinutes = 8 * 60
	MaxRanges     = 6
)

// DefaultZone is the zone a merchant starts with.
const DefaultZone = "Asia/Shanghai"

// Reception is a merchant's reception hours as stored.
type Reception struct {
	Set             bool // false: never saved (the defaults below are a suggestion)
	Receiving       bool // 是否接待
	TimeZone        string
	FollowsHolidays bool
	Week            bizclock.Week
	UpdatedAt       time.Time
}

// suggested is what the form shows before a merchant saved anything:
// Monday–Friday 09:00–12:00 and 13:30–18:30, the mainland calendar.
func suggested() Reception {
	r := Reception{Receiving: true, TimeZone: DefaultZone, FollowsHolidays: true}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		r.Week[wd] = []bizclock.Range{{From: 9 * 60, To: 12 * 60}, {From: 13*60 + 30, To: 18*60 + 30}}
	}
	return r
}

// ReceptionInput is the reception form as typed: times as "HH:MM".
type ReceptionInput struct {
	Receiving       bool
	TimeZone        string
	FollowsHolidays bool
	Days            [7][]RangeText // by time.Weekday
	// Closed days count as closed whatever Days holds for them: the form
	// keeps the ranges of an unticked day on screen, so ticking it again
	// brings them back. Closed rather than Open so that an input built
	// without it (seeding, tests) means what its ranges say.
	Closed [7]bool
}

// days is what counts of the typed ranges: closed days have none.
func (in ReceptionInput) days() [7][]RangeText {
	ds := in.Days
	for wd := range ds {
		if in.Closed[wd] {
			ds[wd] = nil
		}
	}
	return ds
}

// RangeText is one typed range.
type RangeText struct{ From, To string }

// receptionScope is the merchant whose reception the actor reads or saves:
// merchant users their own; platform actors (seeding, the CLI) name one.
func receptionScope(ctx context.Context, tx *gorm.DB, actor models.Actor, merchantID int64) (int64, error) {
	if actor.IsPlatform() {
		if merchantID == 0 {
			return 0, models.ErrNotFound
		}
		var n int64
		if err := tx.WithContext(ctx).Model(&models.Merchant{}).Where("id = ?", merchantID).Count(&n).Error; err != nil {
			return 0, err
		}
		if n == 0 {
			return 0, models.ErrNotFound
		}
		return merchantID, nil
	}
	if !actor.Can(models.PermReception) || actor.MerchantID == 0 {
		return 0, models.ErrForbidden
	}
	return actor.MerchantID, nil
}

// Reception reads the merchant's reception hours (for merchant users, their
// own merchant; merchantID is only used by platform actors).
func (s *Service) Reception(ctx context.Context, actor models.Actor, merchantID int64) (Reception, error) {
	mid, err := receptionScope(ctx, s.db, actor, merchantID)
	if err != nil {
		return Reception{}, err
	}
	var row models.ReceptionSetting
	err = s.db.WithContext(ctx).Where("merchant_id = ?", mid).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return suggested(), nil
	}
	if err != nil {
		return Reception{}, err
	}
	week, err := decodeWeek(row.Week)
	if err != nil {
		return Reception{}, err
	}
	return Reception{Set: true, Receiving: row.Receiving, TimeZone: row.TimeZone,
		FollowsHolidays: row.FollowsHolidays, Week: week, UpdatedAt: row.UpdatedAt}, nil
}

// SaveReception validates and stores the reception hours, then runs the
// OnReceptionChange hooks in the same transaction. Any invalid field refuses
// the whole form with per-field messages; nothing is changed.
func (s *Service) SaveReception(ctx context.Context, actor models.Actor, merchantID int64, in ReceptionInput) (Reception, error) {
	mid, err := receptionScope(ctx, s.db, actor, merchantID)
	if err != nil {
		return Reception{}, err
	}
	r, err := ValidateReception(in)
	if err != nil {
		return Reception{}, err
	}
	// The holiday data must be in place before the transaction: hooks read
	// it through the transaction, and seeding needs the one write
	// connection the transaction holds.
	if err := s.ensureShipped(ctx); err != nil {
		return Reception{}, err
	}
	now := s.now()
	row := models.ReceptionSetting{MerchantID: mid, Receiving: r.Receiving, TimeZone: r.TimeZone,
		FollowsHolidays: r.FollowsHolidays, Week: encodeWeek(r.Week), UpdatedAt: now}
	if actor.UserID != 0 {
		uid := actor.UserID
		row.UpdatedBy = &uid
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
			return err
		}
		if err := audit.Write(tx, now, actor, audit.Event{Action: models.AuditReceptionChanged, MerchantID: mid,
			TargetType: "reception", TargetID: mid, Detail: map[string]any{"receiving": r.Receiving,
				"time_zone": r.TimeZone, "follows_holidays": r.FollowsHolidays, "week": row.Week}}); err != nil {
			return err
		}
		return s.runReceptionHooks(ctx, tx, mid)
	})
	if err != nil {
		return Reception{}, err
	}
	r.Set, r.UpdatedAt = true, now
	return r, nil
}

// ValidateReception checks a reception form: times "HH:MM" within
// 00:00–24:00, each range ending after it starts, no overlaps within a day,
// at most MaxRanges a day, a known IANA zone, and — when receiving — at least
// MinDays days of at least MinDayMinutes (5×8). A closed day is neither
// checked nor stored. Field names: "tz", "day_<weekday>", "week".
func ValidateReception(in ReceptionInput) (Reception, error) {
	v := &models.ValidationError{}
	r := Reception{Receiving: in.Receiving, TimeZone: strings.TrimSpace(in.TimeZone), FollowsHolidays: in.FollowsHolidays}
	switch {
	case r.TimeZone == "":
		v.Add("tz", models.M("calendars.err.zone_required"))
	default:
		if _, err := loadZone(r.TimeZone); err != nil {
			v.Add("tz", models.M("calendars.err.zone_unknown", "Zone", r.TimeZone))
		}
	}
	days := in.days()
	for wd := range days {
		field := "day_" + strconv.Itoa(wd)
		if len(days[wd]) > MaxRanges {
			v.Add(field, models.M("calendars.err.too_many_ranges", "Max", MaxRanges))
			continue
		}
		var rs []bizclock.Range
		for _, t := range days[wd] {
			from, ok1 := parseClock(t.From)
			to, ok2 := parseClock(t.To)
			if !ok1 || !ok2 {
				bad := t.From
				if ok1 {
					bad = t.To
				}
				v.Add(field, models.M("calendars.err.time_format", "Value", bad))
				break
			}
			if from >= to {
				v.Add(field, models.M("calendars.err.range_inverted", "Range", t.From+"–"+t.To))
				break
			}
			rs = append(rs, bizclock.Range{From: from, To: to})
		}
		if _, bad := v.Fields[field]; bad {
			continue
		}
		slices.SortFunc(rs, func(a, b bizclock.Range) int { return a.From - b.From })
		for i := 1; i < len(rs); i++ {
			if rs[i].From < rs[i-1].To {
				v.Add(field, models.M("calendars.err.range_overlap", "A", clockRange(rs[i-1]), "B", clockRange(rs[i])))
				break
			}
		}
		r.Week[wd] = rs
	}
	if len(v.Fields) == 0 && r.Receiving {
		if _, _, full := Totals(in); full < MinDays {
			v.Add("week", models.M("calendars.err.min_5x8", "Days", full))
		}
	}
	if err := v.Err(); err != nil {
		return Reception{}, err
	}
	return r, nil
}

// parseClock reads "9:00", "09:00" or "24:00" as minutes since midnight.
func parseClock(s string) (int, bool) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, false
	}
	return hh*60 + mm, true
}

// Clock formats minutes since midnight as "09:00" (1440 as "24:00").
func Clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

func clockRange(r bizclock.Range) string { return Clock(r.From) + "–" + Clock(r.To) }

func encodeWeek(w bizclock.Week) string {
	out := make([][][2]int, 7)
	for wd, rs := range w {
		out[wd] = make([][2]int, 0, len(rs))
		for _, r := range rs {
			out[wd] = append(out[wd], [2]int{r.From, r.To})
		}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func decodeWeek(s string) (bizclock.Week, error) {
	var raw [][][2]int
	var w bizclock.Week
	if err := json.Unmarshal([]byte(s), &raw); err != nil || len(raw) != 7 {
		return w, fmt.Errorf("stored reception week %q is not seven lists of ranges", s)
	}
	for wd, rs := range raw {
		for _, r := range rs {
			w[wd] = append(w[wd], bizclock.Range{From: r[0], To: r[1]})
		}
	}
	return w, nil
}

// Totals sums a typed week: minutes per weekday, the week's total, and how
// many days reach MinDayMinutes. Closed days and ranges that do not parse
// count as nothing (validation reports the latter).
func Totals(in ReceptionInput) (perDay [7]int, total, fullDays int) {
	for wd, rs := range in.days() {
		for _, r := range rs {
			from, ok1 := parseClock(r.From)
			to, ok2 := parseClock(r.To)
			if ok1 && ok2 && to > from {
				perDay[wd] += to - from
			}
		}
		total += perDay[wd]
		if perDay[wd] >= MinDayMinutes {
			fullDays++
		}
	}
	return perDay, total, fullDays
}

// InputOf turns stored hours back into the form's text.
func InputOf(r Reception) ReceptionInput {
	in := ReceptionInput{Receiving: r.Receiving, TimeZone: r.TimeZone, FollowsHolidays: r.FollowsHolidays}
	for wd, rs := range r.Week {
		in.Closed[wd] = len(rs) == 0
		for _, x := range rs {
			in.Days[wd] = append(in.Days[wd], RangeText{From: Clock(x.From), To: Clock(x.To)})
		}
	}
	return in
}
