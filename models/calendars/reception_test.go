package calendars

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

func TestReceptionRoundTripAndCalendar(t *testing.T) {
	f := newFixture(t)
	if _, ok, err := f.svc.ForMerchant(ctx(), f.acme); ok || err != nil {
		t.Fatalf("a merchant that never set reception receives tickets: ok=%v err=%v", ok, err)
	}
	r, err := f.svc.Reception(ctx(), f.owner, 0)
	if per, _, _ := Totals(InputOf(r)); err != nil || r.Set || !r.Receiving || per[1] != 480 {
		t.Fatalf("suggested reception: %+v %v", r, err)
	}
	if _, err := f.svc.SaveReception(ctx(), f.owner, 0, acmeInput()); err != nil {
		t.Fatal(err)
	}
	r, err = f.svc.Reception(ctx(), f.owner, 0)
	if per, _, _ := Totals(InputOf(r)); err != nil || !r.Set || r.TimeZone != "Asia/Shanghai" || len(r.Week[1]) != 2 || per != [7]int{0, 480, 480, 480, 480, 480, 0} {
		t.Fatalf("stored reception: %+v %v", r, err)
	}
	cal, ok, err := f.svc.ForMerchant(ctx(), f.acme)
	if !ok || err != nil {
		t.Fatalf("ForMerchant: %v %v", ok, err)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	// The eve of 国庆 2026 at closing: the mainland calendar is followed.
	due, _ := cal.AddBusiness(time.Date(2026, 9, 30, 18, 25, 0, 0, sh), 15*time.Minute)
	if want := time.Date(2026, 10, 8, 9, 10, 0, 0, sh); !due.Equal(want) {
		t.Errorf("due %v, want %v", due.In(sh), want)
	}
	// Not following holidays: 1 October is an ordinary Thursday.
	in := acmeInput()
	in.FollowsHolidays = false
	if _, err := f.svc.SaveReception(ctx(), f.owner, 0, in); err != nil {
		t.Fatal(err)
	}
	cal, _, _ = f.svc.ForMerchant(ctx(), f.acme)
	if !cal.IsOpen(time.Date(2026, 10, 1, 10, 0, 0, 0, sh)) {
		t.Error("a merchant not following holidays is closed on 国庆")
	}
	// 是否接待 = 否: no calendar, the hours are kept for later.
	in.Receiving = false
	if _, err := f.svc.SaveReception(ctx(), f.owner, 0, in); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := f.svc.ForMerchant(ctx(), f.acme); ok {
		t.Error("a merchant not receiving has a calendar")
	}
	if r, _ := f.svc.Reception(ctx(), f.owner, 0); r.Receiving || len(r.Week[1]) != 2 {
		t.Errorf("hours lost when receiving was switched off: %+v", r)
	}
	if n := f.count("audit_log", "action = ? AND merchant_id = ?", models.AuditReceptionChanged, f.acme); n != 3 {
		t.Errorf("%d audit rows, want 3", n)
	}
}

func TestReceptionValidation(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.SaveReception(ctx(), f.owner, 0, acmeInput()); err != nil {
		t.Fatal(err)
	}
	before := f.count("audit_log", "")
	var stored models.ReceptionSetting
	f.db.Gorm.Take(&stored, "merchant_id = ?", f.acme)

	edit := func(fn func(*ReceptionInput)) ReceptionInput {
		in := acmeInput()
		fn(&in)
		return in
	}
	for _, tc := range []struct {
		name, field, msg string
		in               ReceptionInput
	}{
		{"four days only", "week", "calendars.err.min_5x8", edit(func(in *ReceptionInput) { in.Days[5] = nil })},
		{"five days a minute short", "week", "calendars.err.min_5x8", edit(func(in *ReceptionInput) {
			in.Days[3] = []RangeText{{"09:00", "12:00"}, {"13:30", "18:29"}}
		})},
		{"overlapping ranges", "day_2", "calendars.err.range_overlap", edit(func(in *ReceptionInput) {
			in.Days[2] = []RangeText{{"09:00", "12:00"}, {"11:30", "18:30"}}
		})},
		{"inverted range", "day_4", "calendars.err.range_inverted", edit(func(in *ReceptionInput) {
			in.Days[4] = []RangeText{{"18:00", "09:00"}}
		})},
		{"empty range", "day_4", "calendars.err.range_inverted", edit(func(in *ReceptionInput) {
			in.Days[4] = []RangeText{{"09:00", "09:00"}}
		})},
		{"hour 25", "day_1", "calendars.err.time_format", edit(func(in *ReceptionInput) { in.Days[1][0].To = "25:00" })},
		{"24:30", "day_1", "calendars.err.time_format", edit(func(in *ReceptionInput) { in.Days[1][1].To = "24:30" })},
		{"not a time", "day_6", "calendars.err.time_format", edit(func(in *ReceptionInput) {
			in.Days[6] = []RangeText{{"nine", "12:00"}}
		})},
		{"too many ranges", "day_0", "calendars.err.too_many_ranges", edit(func(in *ReceptionInput) {
			in.Days[0] = make([]RangeText, MaxRanges+1)
		})},
		{"unknown zone", "tz", "calendars.err.zone_unknown", edit(func(in *ReceptionInput) { in.TimeZone = "Mars/Olympus_Mons" })},
		{"host zone", "tz", "calendars.err.zone_unknown", edit(func(in *ReceptionInput) { in.TimeZone = "Local" })},
		{"no zone", "tz", "calendars.err.zone_required", edit(func(in *ReceptionInput) { in.TimeZone = "  " })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.SaveReception(ctx(), f.owner, 0, tc.in)
			var v *models.ValidationError
			if !errors.As(err, &v) || v.Fields[tc.field].ID != tc.msg {
				t.Fatalf("got %v, want %s on %s", err, tc.msg, tc.field)
			}
			var now models.ReceptionSetting
			f.db.Gorm.Take(&now, "merchant_id = ?", f.acme)
			if now != stored || f.count("audit_log", "") != before {
				t.Fatal("a refused form changed something")
			}
		})
	}

	// Accepted: more than 5×8, touching ranges, 24:00, a weekend, another zone.
	ok := edit(func(in *ReceptionInput) {
		in.Days[6] = []RangeText{{"00:00", "08:00"}, {"08:00", "24:00"}}
		in.TimeZone = "Europe/Berlin"
	})
	if _, err := f.svc.SaveReception(ctx(), f.owner, 0, ok); err != nil {
		t.Fatalf("valid form refused: %v", err)
	}
	// Not receiving: hours below 5×8 are fine, malformed ones are not.
	off := ReceptionInput{Receiving: false, TimeZone: "Asia/Shanghai"}
	if _, err := f.svc.SaveReception(ctx(), f.owner, 0, off); err != nil {
		t.Fatalf("not receiving refused: %v", err)
	}
	off.Days[1] = []RangeText{{"12:00", "09:00"}}
	if _, err := f.svc.SaveReception(ctx(), f.owner, 0, off); err == nil {
		t.Fatal("an inverted range was accepted while not receiving")
	}
}

func TestReceptionTenancyAndRoles(t *testing.T) {
	f := newFixture(t)
	finance := models.Actor{Email: "finance@acme.test", Role: models.RoleFinance, MerchantID: f.acme}
	if _, err := f.svc.SaveReception(ctx(), finance, 0, acmeInput()); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("finance saved reception: %v", err)
	}
	if _, err := f.svc.Reception(ctx(), finance, 0); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("finance read reception: %v", err)
	}
	// A merchant user always acts on its own merchant, whatever id it passes.
	globexOwner := models.Actor{Email: "owner@globex.test", Role: models.RoleOwner, MerchantID: f.globex}
	if _, err := f.svc.SaveReception(ctx(), globexOwner, f.acme, acmeInput()); err != nil {
		t.Fatal(err)
	}
	if f.count("reception_settings", "merchant_id = ?", f.acme) != 0 || f.count("reception_settings", "merchant_id = ?", f.globex) != 1 {
		t.Fatal("a merchant wrote another merchant's reception")
	}
	// Platform actors (seeding, the CLI) name the merchant; an unknown one is 404.
	if _, err := f.svc.SaveReception(ctx(), models.SystemActor("test"), 99999, acmeInput()); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("unknown merchant: %v", err)
	}
	if _, err := f.svc.SaveReception(ctx(), models.SystemActor("test"), f.acme, acmeInput()); err != nil {
		t.Fatal(err)
	}
}

func TestOnReceptionChangeRunsInTheSaveTransaction(t *testing.T) {
	f := newFixture(t)
	var seen []int64
	fail := false
	f.svc.OnReceptionChange(func(ctx context.Context, tx *gorm.DB, merchantID int64) error {
		// The hook sees the new hours through the transaction.
		var row models.ReceptionSetting
		if err := tx.Take(&row, "merchant_id = ?", merchantID).Error; err != nil {
			return err
		}
		seen = append(seen, merchantID)
		if fail {
			return errors.New("recompute failed")
		}
		return nil
	})
	if _, err := f.svc.SaveReception(ctx(), f.owner, 0, acmeInput()); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0] != f.acme {
		t.Fatalf("hook calls %v", seen)
	}
	fail = true
	in := acmeInput()
	in.TimeZone = "Asia/Tokyo"
	if _, err := f.svc.SaveReception(ctx(), f.owner, 0, in); err == nil {
		t.Fatal("a failing hook did not fail the save")
	}
	if r, _ := f.svc.Reception(ctx(), f.owner, 0); r.TimeZone != "Asia/Shanghai" {
		t.Fatalf("the save was not rolled back: %s", r.TimeZone)
	}
}

// Inside the save, hooks see the new calendar through ForMerchantTx while
// ForMerchant still answers with the committed one.
func TestForMerchantTxSeesTheSaveInProgress(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.SaveReception(ctx(), f.owner, 0, acmeInput()); err != nil {
		t.Fatal(err)
	}
	var inTx, committed *time.Location
	f.svc.OnReceptionChange(func(ctx context.Context, tx *gorm.DB, merchantID int64) error {
		cal, ok, err := f.svc.ForMerchantTx(ctx, tx, merchantID)
		if err != nil || !ok {
			return fmt.Errorf("ForMerchantTx: %v %v", ok, err)
		}
		inTx = cal.Location()
		old, _, err := f.svc.ForMerchant(ctx, merchantID)
		if err != nil {
			return err
		}
		committed = old.Location()
		return nil
	})
	in := acmeInput()
	in.TimeZone = "Europe/Berlin"
	if _, err := f.svc.SaveReception(ctx(), f.owner, 0, in); err != nil {
		t.Fatal(err)
	}
	if inTx.String() != "Europe/Berlin" || committed.String() != "Asia/Shanghai" {
		t.Fatalf("in the transaction %v, committed %v", inTx, committed)
	}
}

// A holiday edit's hooks compute with the edited calendar.
func TestHolidayHookSeesTheEdit(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.SaveReception(ctx(), f.owner, 0, acmeInput()); err != nil {
		t.Fatal(err)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	christmas := time.Date(2026, 12, 25, 10, 0, 0, 0, sh)
	var openInHook *bool
	f.svc.OnHolidaysChange(func(ctx context.Context, tx *gorm.DB) error {
		cal, _, err := f.svc.ForMerchantTx(ctx, tx, f.acme)
		if err != nil {
			return err
		}
		open := cal.IsOpen(christmas)
		openInHook = &open
		return nil
	})
	if err := f.svc.AddHoliday(ctx(), f.ops, HolidayInput{Date: "2026-12-25", Kind: "off"}); err != nil {
		t.Fatal(err)
	}
	if openInHook == nil || *openInHook {
		t.Fatal("the hook did not see the new day off")
	}
	cal, _, _ := f.svc.ForMerchant(ctx(), f.acme)
	if cal.IsOpen(christmas) {
		t.Fatal("after the commit the calendar still opens on the new day off")
	}
}

// A closed day keeps its typed ranges on the form but counts for nothing:
// not in the totals, not in the 5×8 rule, not checked, not stored.
func TestClosedDaysCountForNothing(t *testing.T) {
	in := acmeInput()
	in.Days[6] = []RangeText{{"bad", "09:00"}}
	in.Closed[6] = true
	if per, total, full := Totals(in); per[6] != 0 || total != 5*480 || full != 5 {
		t.Fatalf("totals %v %d %d", per, total, full)
	}
	r, err := ValidateReception(in)
	if err != nil || r.Week[6] != nil {
		t.Fatalf("a closed day was checked or stored: %+v %v", r.Week[6], err)
	}
	in.Closed[5] = true
	var v *models.ValidationError
	if _, err := ValidateReception(in); !errors.As(err, &v) || v.Fields["week"].ID != "calendars.err.min_5x8" {
		t.Fatalf("four open days passed the 5×8 rule: %v", err)
	}
	if back := InputOf(r); !back.Closed[0] || !back.Closed[6] || back.Closed[1] {
		t.Errorf("stored hours read back with closed days %v", back.Closed)
	}
}
