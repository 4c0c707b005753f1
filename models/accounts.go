package models

import "time"

// MerchantStatus is whether a merchant may trade.
type MerchantStatus string

const (
	MerchantActive    MerchantStatus = "active"
	MerchantSuspended MerchantStatus = "suspended"
)

// Merchant is a seller on the marketplace (商家); every business row belongs to one.
type Merchant struct {
	ID        int64          `gorm:"column:id;primaryKey"`
	Slug      string         `gorm:"column:slug"`
	Name      string         `gorm:"column:name"`
	Status    MerchantStatus `gorm:"column:status"`
	CreatedAt time.Time      `gorm:"column:created_at"`
	UpdatedAt time.Time      `gorm:"column:updated_at"`
	// SuspendedAt is when the current suspension began (nil while active).
	SuspendedAt *time.Time `gorm:"column:suspended_at"`
}

func (Merchant) TableName() string { return "merchants" }

// User is anyone who logs in: merchant staff, an operations manager or a buyer.
type User struct {
	ID           int64      `gorm:"column:id;primaryKey"`
	MerchantID   *int64     `gorm:"column:merchant_id"`
	Email        string     `gorm:"column:email"`
	Name         string     `gorm:"column:name"`
	Role         Role       `gorm:"column:role"`
	PasswordHash string     `gorm:"column:password_hash"`
	Disabled     bool       `gorm:"column:disabled"`
	Lang         string     `gorm:"column:lang"`
	TimeZone     string     `gorm:"column:time_zone"`
	CustomerID   string     `gorm:"column:customer_id"`
	LastLoginAt  *time.Time `gorm:"column:last_login_at"`
	CreatedAt    time.Time  `gorm:"column:created_at"`
	UpdatedAt    time.Time  `gorm:"column:updated_at"`

	Merchant *Merchant `gorm:"foreignKey:MerchantID"`
}

func (User) TableName() string { return "users" }

// DisplayName is the name, or the e-mail when no name was given.
func (u *User) DisplayName() string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// Session is a server-side login; deleting the row logs the browser out.
type Session struct {
	ID         string    `gorm:"column:id;primaryKey"` // sha256(token), hex
	UserID     int64     `gorm:"column:user_id"`
	CreatedAt  time.Time `gorm:"column:created_at"`
	ExpiresAt  time.Time `gorm:"column:expires_at"`
	LastSeenAt time.Time `gorm:"column:last_seen_at"`
	IP         string    `gorm:"column:ip"`
	UserAgent  string    `gorm:"column:user_agent"`
	Flash      string    `gorm:"column:flash"`
}

func (Session) TableName() string { return "sessions" }

// LoginAttempt feeds the login rate limit; kept in the database so every
// instance behind a load balancer sees the same counts.
type LoginAttempt struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	Email     string    `gorm:"column:email"`
	IP        string    `gorm:"column:ip"`
	Success   bool      `gorm:"column:success"`
	CreatedAt time.Time `gorm:"column:created_at"`
}

func (LoginAttempt) TableName() string { return "login_attempts" }

// Actor is who performs a service call; every merchant-scoped query is
// filtered by Actor.MerchantID inside models/, never in handlers.
type Actor struct {
	UserID     int64
	Email      string
	Role       Role
	MerchantID int64 // 0 for platform roles
	IP         string
}

// ActorOf builds the actor for a logged-in user.
func ActorOf(u *User, ip string) Actor {
	a := Actor{UserID: u.ID, Email: u.Email, Role: u.Role, IP: ip}
	if u.MerchantID != nil {
		a.MerchantID = *u.MerchantID
	}
	return a
}

// SystemActor is used by the operator CLI and background jobs.
func SystemActor(what string) Actor {
	return Actor{Email: "system:" + what, Role: RoleOpsManager}
}

// Can reports whether the actor's role grants p.
func (a Actor) Can(p Permission) bool { return a.Role.Can(p) }

// IsPlatform reports whether the actor sees across merchants.
func (a Actor) IsPlatform() bool { return a.Role == RoleOpsManager }
