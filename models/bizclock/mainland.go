package bizclock

import (
	_ "embed"
	"sync"
	"time"
)

// holidays_cn.json is the mainland-China calendar as announced by the State
// Council, one block per year with its source; operations edit the live copy
// in the database, this is only what a new installation starts from.
//
//go:embed holidays_cn.json
var holidaysCN []byte

var mainland = sync.OnceValues(func() (*HolidayFile, error) { return ParseHolidayFile(holidaysCN) })

// MainlandChinaFile is the shipped data file, parsed (years, sources, days).
func MainlandChinaFile() *HolidayFile {
	f, err := mainland()
	if err != nil {
		// The file is embedded and covered by a test: this is a build defect.
		panic(err)
	}
	return f
}

var mainlandSet = sync.OnceValue(func() *HolidaySet { return MainlandChinaFile().Set() })

// MainlandChina is the shipped 2025–2027 data (embedded file), as shipped.
func MainlandChina() *HolidaySet { return mainlandSet() }

// Shanghai is Beijing time, the zone the mainland calendar's days are
// counted in; the fixed offset stands in on a host without tzdata, which is
// exact because China has kept no DST since 1991.
var Shanghai = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()
