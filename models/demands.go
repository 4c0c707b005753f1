package models

import "time"

// DemandState is where a customer demand (客户需求) is.
type DemandState string

const (
	DemandPending  DemandState = "pending"  // 待接收
	DemandAccepted DemandState = "accepted" // 已接收
	DemandRejected DemandState = "rejected" // 已拒绝
	DemandClosed   DemandState = "closed"   // 已关闭
)

// DemandStates lists them in display order.
var DemandStates = []DemandState{DemandPending, DemandAccepted, DemandRejected, DemandClosed}

// DemandAction is something done to a demand; the transition table says in
// which state it is allowed and where it leads.
type DemandAction string

const (
	DemandAccept    DemandAction = "accept"  // 接收, by the merchant
	DemandReject    DemandAction = "reject"  // 拒绝, by the merchant, with a reason
	DemandTimeout   DemandAction = "timeout" // 超时未接收, by the system at the deadline
	DemandClose     DemandAction = "close"   // 关闭, by the merchant
	DemandAddNote   DemandAction = "note"    // 跟进记录
	DemandLinkOrder DemandAction = "link"    // 转订单: link one of the merchant's orders
)

// DemandActions lists every action.
var DemandActions = []DemandAction{DemandAccept, DemandReject, DemandTimeout, DemandClose, DemandAddNote, DemandLinkOrder}

// Demand close reasons.
const (
	DemandClosedTimeout  = "timeout"  // 超时未接收
	DemandClosedMerchant = "merchant" // closed by the merchant after accepting
)

// Demand window modes: how the acceptance window's days are counted.
const (
	WindowNatural = "natural" // 自然日
	WindowWorking = "working" // 工作日 (on the holiday calendar)
)

// DemandWindowDays is the acceptance window (5 days).
const DemandWindowDays = 5

// Demand text limits, in characters.
const (
	DemandTitleMax     = 100
	DemandDescMax      = 2000
	DemandCustomerMax  = 100
	DemandReasonMin    = 5
	DemandReasonMax    = 500
	DemandNoteMax      = 2000
	DemandOrderCodeMax = 64
)

// Demand is one customer demand assigned to a merchant.
type Demand struct {
	ID              int64       `gorm:"column:id;primaryKey"`
	MerchantID      int64       `gorm:"column:merchant_id"`
	Title           string      `gorm:"column:title"`
	Description     string      `gorm:"column:description"`
	CustomerName    string      `gorm:"column:customer_name"`
	ProductRef      *int64      `gorm:"column:product_ref"`
	State           DemandState `gorm:"column:state"`
	WindowMode      string      `gorm:"column:window_mode"`
	WindowDays      int         `gorm:"column:window_days"`
	AssignedAt      time.Time   `gorm:"column:assigned_at"`
	AssignedBy      string      `gorm:"column:assigned_by"`
	DueAt           time.Time   `gorm:"column:due_at"`
	Remind3At       time.Time   `gorm:"column:remind3_at"`
	Remind1At       time.Time   `gorm:"column:remind1_at"`
	Reminded3At     *time.Time  `gorm:"column:reminded3_at"`
	Reminded1At     *time.Time  `gorm:"column:reminded1_at"`
	DecidedAt       *time.Time  `gorm:"column:decided_at"`
	DecidedByUserID *int64      `gorm:"column:decided_by_user_id"`
	DecidedBy       string      `gorm:"column:decided_by"`
	RejectReason    string      `gorm:"column:reject_reason"`
	ClosedAt        *time.Time  `gorm:"column:closed_at"`
	CloseReason     string      `gorm:"column:close_reason"`
	OrderRef        *int64      `gorm:"column:order_ref"`
	LinkedAt        *time.Time  `gorm:"column:linked_at"`
	CreatedAt       time.Time   `gorm:"column:created_at"`
	UpdatedAt       time.Time   `gorm:"column:updated_at"`
}

func (Demand) TableName() string { return "demands" }

// Open reports whether the demand still waits for the merchant's answer.
func (d *Demand) Open() bool { return d.State == DemandPending }

// Expired reports whether the acceptance window has ended at now: from the
// deadline on, nobody may accept or reject, whether or not the closing job
// has run yet.
func (d *Demand) Expired(now time.Time) bool { return !now.Before(d.DueAt) }

// DemandUrgency is how close a pending demand's window is to its end, by the
// same instants its reminders fire at (so a working-day window is urgent when
// its reminder says so, not after a fixed number of hours).
type DemandUrgency string

const (
	DemandUrgencyCalm    DemandUrgency = "calm"     // before the 3-days-left reminder
	DemandUrgencySoon    DemandUrgency = "soon"     // 3 days left or less
	DemandUrgencyLastDay DemandUrgency = "last_day" // 1 day left or less
	DemandUrgencyOver    DemandUrgency = "over"     // the window has ended
)

// Urgency is the demand's urgency at now.
func (d *Demand) Urgency(now time.Time) DemandUrgency {
	switch {
	case d.Expired(now):
		return DemandUrgencyOver
	case !now.Before(d.Remind1At):
		return DemandUrgencyLastDay
	case !now.Before(d.Remind3At):
		return DemandUrgencySoon
	}
	return DemandUrgencyCalm
}

// StatusMsgID is the catalog id of the state as shown (a closed demand says
// why it closed).
func (d *Demand) StatusMsgID() string {
	if d.State == DemandClosed && d.CloseReason == DemandClosedTimeout {
		return "demand.state.closed_timeout"
	}
	return "demand.state." + string(d.State)
}

// Demand event kinds (the history).
const (
	DemandEvAssigned = "assigned"
	DemandEvAccepted = "accepted"
	DemandEvRejected = "rejected"
	DemandEvTimedOut = "timed_out"
	DemandEvClosed   = "closed"
	DemandEvReminded = "reminded"
	DemandEvNoted    = "noted"
	DemandEvLinked   = "linked"
)

// DemandEventKinds lists them (for the catalog check).
var DemandEventKinds = []string{DemandEvAssigned, DemandEvAccepted, DemandEvRejected, DemandEvTimedOut,
	DemandEvClosed, DemandEvReminded, DemandEvNoted, DemandEvLinked}

// DemandEvent is one immutable line of a demand's history.
type DemandEvent struct {
	ID          int64     `gorm:"column:id;primaryKey"`
	DemandID    int64     `gorm:"column:demand_id"`
	At          time.Time `gorm:"column:at"`
	Kind        string    `gorm:"column:kind"`
	ActorUserID *int64    `gorm:"column:actor_user_id"`
	Actor       string    `gorm:"column:actor"`
	Detail      string    `gorm:"column:detail"`
}

func (DemandEvent) TableName() string { return "demand_events" }

// DemandNote is a follow-up note (跟进记录) on an accepted demand.
type DemandNote struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	DemandID  int64     `gorm:"column:demand_id"`
	UserID    int64     `gorm:"column:user_id"`
	Author    string    `gorm:"column:author"`
	Body      string    `gorm:"column:body"`
	CreatedAt time.Time `gorm:"column:created_at"`
}

func (DemandNote) TableName() string { return "demand_notes" }
