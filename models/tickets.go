package models

import "time"

// TicketState is where a ticket (工单) is.
type TicketState string

const (
	TicketPending    TicketState = "pending"           // 待处理
	TicketProcessing TicketState = "processing"        // 处理中
	TicketAwaiting   TicketState = "awaiting_customer" // 待客户确认: waiting on the buyer pauses the clock
	TicketDone       TicketState = "done"              // 已完成
	TicketRevoked    TicketState = "revoked"           // 已撤销 (by the buyer)
)

// TicketStates lists them in display order.
var TicketStates = []TicketState{TicketPending, TicketProcessing, TicketAwaiting, TicketDone, TicketRevoked}

// Closed reports whether a ticket takes no more replies.
func (s TicketState) Closed() bool { return s == TicketDone || s == TicketRevoked }

// TicketAction is something done to a ticket; the transition table says in
// which state it is allowed and where it leads, TicketActionBy who may do it.
type TicketAction string

const (
	TicketStart        TicketAction = "start"       // 开始处理, merchant
	TicketReply        TicketAction = "reply"       // public reply, merchant
	TicketNote         TicketAction = "note"        // internal note, merchant
	TicketAskConfirm   TicketAction = "ask_confirm" // 请客户确认, merchant
	TicketResume       TicketAction = "resume"      // 继续处理, merchant
	TicketBuyerMessage TicketAction = "message"     // the buyer writes
	TicketConfirm      TicketAction = "confirm"     // 确认完成, buyer
	TicketRevoke       TicketAction = "revoke"      // 撤销, buyer
	TicketReopen       TicketAction = "reopen"      // 重新打开, buyer
)

// TicketActions lists every action.
var TicketActions = []TicketAction{TicketStart, TicketReply, TicketNote, TicketAskConfirm, TicketResume,
	TicketBuyerMessage, TicketConfirm, TicketRevoke, TicketReopen}

// TicketActionBy says whether an action is the buyer's (true) or the
// merchant's (false).
func TicketActionBy(a TicketAction) (buyer bool) {
	switch a {
	case TicketBuyerMessage, TicketConfirm, TicketRevoke, TicketReopen:
		return true
	}
	return false
}

// Ticket text limits, in characters.
const (
	TicketTitleMax   = 100
	TicketContentMax = 5000
	TicketBodyMax    = 5000
	TicketNameMax    = 64
)

// Ticket sources.
const (
	TicketFromAPI   = "api"
	TicketFromBuyer = "buyer"
)

// Ticket is one buyer ticket and its current first-response clock.
type Ticket struct {
	ID              int64       `gorm:"column:id;primaryKey"`
	MerchantID      int64       `gorm:"column:merchant_id"`
	TicketID        string      `gorm:"column:ticket_id"`
	ProductRef      int64       `gorm:"column:product_ref"`
	BuyerRef        int64       `gorm:"column:buyer_ref"`
	CustomerNameEnc string      `gorm:"column:customer_name_enc"`
	Title           string      `gorm:"column:title"`
	Content         string      `gorm:"column:content"`
	State           TicketState `gorm:"column:state"`
	Source          string      `gorm:"column:source"`
	RequestHash     string      `gorm:"column:request_hash"`
	CreatedAt       time.Time   `gorm:"column:created_at"`
	ReceivedAt      time.Time   `gorm:"column:received_at"`
	UpdatedAt       time.Time   `gorm:"column:updated_at"`
	ClosedAt        *time.Time  `gorm:"column:closed_at"`
	AssigneeID      *int64      `gorm:"column:assignee_id"`

	Round           int        `gorm:"column:round"`
	ClockStartAt    time.Time  `gorm:"column:clock_start_at"`
	WarnAt          *time.Time `gorm:"column:warn_at"`
	DueAt           *time.Time `gorm:"column:due_at"`
	FirstResponseAt *time.Time `gorm:"column:first_response_at"`
	FirstResponseBy *int64     `gorm:"column:first_response_by"`
	FirstResponseS  *int64     `gorm:"column:first_response_sec"`
	WarnedAt        *time.Time `gorm:"column:warned_at"`
	BreachedAt      *time.Time `gorm:"column:breached_at"`
	NextAlertAt     *time.Time `gorm:"column:next_alert_at"`
}

func (Ticket) TableName() string { return "tickets" }

// Ticket event kinds.
const (
	TicketEvCreated      = "created"
	TicketEvState        = "state"
	TicketEvClockStarted = "clock_started"
	TicketEvResponded    = "responded"
	TicketEvWarned       = "warned"
	TicketEvBreached     = "breached"
	TicketEvAssigned     = "assigned"
	TicketEvRecomputed   = "recomputed"
)

// Who caused a ticket event.
const (
	TicketByMarketplace = "marketplace"
	TicketByBuyer       = "buyer"
	TicketByStaff       = "staff"
	TicketBySystem      = "system"
)

// TicketEvent is one immutable line of a ticket's history.
type TicketEvent struct {
	ID          int64       `gorm:"column:id;primaryKey"`
	TicketRef   int64       `gorm:"column:ticket_ref"`
	MerchantID  int64       `gorm:"column:merchant_id"`
	Round       int         `gorm:"column:round"`
	At          time.Time   `gorm:"column:at"`
	Kind        string      `gorm:"column:kind"`
	FromState   TicketState `gorm:"column:from_state"`
	ToState     TicketState `gorm:"column:to_state"`
	ActorKind   string      `gorm:"column:actor_kind"`
	ActorUserID *int64      `gorm:"column:actor_user_id"`
	ElapsedSec  int64       `gorm:"column:elapsed_sec"`
	Breached    bool        `gorm:"column:breached"`
}

func (TicketEvent) TableName() string { return "ticket_events" }

// Ticket message kinds: only replies and buyer messages are public.
const (
	TicketMsgBuyer = "buyer"
	TicketMsgReply = "reply"
	TicketMsgNote  = "note"
)

// TicketMessage is one message of a ticket's conversation.
type TicketMessage struct {
	ID           int64     `gorm:"column:id;primaryKey"`
	TicketRef    int64     `gorm:"column:ticket_ref"`
	MerchantID   int64     `gorm:"column:merchant_id"`
	Kind         string    `gorm:"column:kind"`
	AuthorUserID *int64    `gorm:"column:author_user_id"`
	AuthorName   string    `gorm:"column:author_name"`
	Body         string    `gorm:"column:body"`
	CreatedAt    time.Time `gorm:"column:created_at"`
}

func (TicketMessage) TableName() string { return "ticket_messages" }

// Public reports whether the buyer sees the message.
func (m TicketMessage) Public() bool { return m.Kind != TicketMsgNote }

// TicketAttachment is a file attached to a message; its bytes are stored
// outside the web root under StorageName.
type TicketAttachment struct {
	ID          int64     `gorm:"column:id;primaryKey"`
	TicketRef   int64     `gorm:"column:ticket_ref"`
	MerchantID  int64     `gorm:"column:merchant_id"`
	MessageRef  int64     `gorm:"column:message_ref"`
	FileName    string    `gorm:"column:file_name"`
	ContentType string    `gorm:"column:content_type"`
	Size        int64     `gorm:"column:size"`
	SHA256      string    `gorm:"column:sha256"`
	StorageName string    `gorm:"column:storage_name"`
	UploadedBy  *int64    `gorm:"column:uploaded_by"`
	CreatedAt   time.Time `gorm:"column:created_at"`
}

func (TicketAttachment) TableName() string { return "ticket_attachments" }

// Notification channels besides the in-app 站内信.
const (
	ChannelSMS   = "sms"
	ChannelEmail = "email"
)

// ChannelMessage is a notification queued for another channel (SMS,
// e-mail): an outbox row a delivery worker sends and marks.
type ChannelMessage struct {
	ID              int64      `gorm:"column:id;primaryKey"`
	MerchantID      int64      `gorm:"column:merchant_id"`
	NotificationRef *int64     `gorm:"column:notification_ref"`
	Channel         string     `gorm:"column:channel"`
	RecipientUserID *int64     `gorm:"column:recipient_user_id"`
	TypeCode        int        `gorm:"column:type_code"`
	MsgID           string     `gorm:"column:msg_id"`
	MsgArgs         string     `gorm:"column:msg_args"`
	Status          string     `gorm:"column:status"`
	Attempts        int        `gorm:"column:attempts"`
	CreatedAt       time.Time  `gorm:"column:created_at"`
	SentAt          *time.Time `gorm:"column:sent_at"`
}

func (ChannelMessage) TableName() string { return "notification_channel_messages" }

// ClockStatus is what a deadline clock (a ticket's first response, a
// demand's last day on the board) shows.
type ClockStatus string

const (
	ClockRunning  ClockStatus = "running"  // counting, under 80 %
	ClockWarning  ClockStatus = "warning"  // 80 % passed
	ClockBreached ClockStatus = "breached" // 100 % passed, no public reply yet
	ClockPaused   ClockStatus = "paused"   // waiting on the buyer
	ClockMet      ClockStatus = "met"      // answered in time
	ClockLate     ClockStatus = "late"     // answered after the deadline
	ClockStopped  ClockStatus = "stopped"  // closed before any answer
	ClockNone     ClockStatus = "none"     // the merchant does not receive tickets: no deadline
)

// Counting says the clock still runs towards (or past) its deadline, so it
// has a time left, possibly negative, that a page may count down.
func (s ClockStatus) Counting() bool {
	return s == ClockRunning || s == ClockWarning || s == ClockBreached
}

// Answered says the clock stopped at an answer, so it has a response time.
func (s ClockStatus) Answered() bool { return s == ClockMet || s == ClockLate }
