package models

import "time"

// HolidayYear is one announcement of the public-holiday calendar (a year's
// State Council notice, or operations' own entries for that year).
type HolidayYear struct {
	Year      int       `gorm:"column:year;primaryKey;autoIncrement:false"`
	Confirmed bool      `gorm:"column:confirmed"`
	Source    string    `gorm:"column:source"`
	Note      string    `gorm:"column:note"`
	Origin    string    `gorm:"column:origin"`
	Shipped   bool      `gorm:"column:shipped"`
	Revision  int64     `gorm:"column:revision"`
	UpdatedAt time.Time `gorm:"column:updated_at"`
}

func (HolidayYear) TableName() string { return "holiday_years" }

// Where a holiday year's days come from.
const (
	HolidayOriginShipped  = "shipped"
	HolidayOriginEdited   = "edited"
	HolidayOriginImported = "imported"
)

// Holiday is one day off or make-up workday.
type Holiday struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	Day       string    `gorm:"column:day"` // YYYY-MM-DD
	Year      int       `gorm:"column:year"`
	Kind      string    `gorm:"column:kind"` // bizclock.KindOff or bizclock.KindWorkday
	Name      string    `gorm:"column:name"`
	CreatedAt time.Time `gorm:"column:created_at"`
}

func (Holiday) TableName() string { return "holidays" }

// ReceptionSetting is a merchant's reception hours (接待时间).
type ReceptionSetting struct {
	MerchantID      int64     `gorm:"column:merchant_id;primaryKey;autoIncrement:false"`
	Receiving       bool      `gorm:"column:receiving"`
	TimeZone        string    `gorm:"column:time_zone"`
	FollowsHolidays bool      `gorm:"column:follows_holidays"`
	Week            string    `gorm:"column:week"` // JSON, see migrations/00008
	UpdatedAt       time.Time `gorm:"column:updated_at"`
	UpdatedBy       *int64    `gorm:"column:updated_by"`
}

func (ReceptionSetting) TableName() string { return "reception_settings" }
