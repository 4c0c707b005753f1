package models

import "time"

// Activities the provisioning core calls, named as in the protocol.
const (
	ActNewInstance     = "newInstance"
	ActRefreshInstance = "refreshInstance"
	ActExpireInstance  = "expireInstance"
	ActInstanceStatus  = "instanceStatus"       // V1 freeze/unfreeze
	ActUpdateStatus    = "updateInstanceStatus" // V2 freeze/unfreeze
	ActReleaseInstance = "releaseInstance"
	ActUpgrade         = "upgrade"         // V1
	ActUpgradeInstance = "upgradeInstance" // V2
	ActQueryInstance   = "queryInstance"
	ActOrderNotify     = "orderNotify"
)

// Activities lists the activities of the message-log filter.
var Activities = []string{ActNewInstance, ActQueryInstance, ActRefreshInstance, ActExpireInstance,
	ActInstanceStatus, ActUpdateStatus, ActReleaseInstance, ActUpgrade, ActUpgradeInstance, ActOrderNotify}

// Call is one activity the core must get through to a merchant endpoint.
type Call struct {
	ID           int64      `gorm:"column:id;primaryKey"`
	MerchantID   int64      `gorm:"column:merchant_id"`
	Activity     string     `gorm:"column:activity"`
	OrderLineRef *int64     `gorm:"column:order_line_ref"`
	InstanceRef  *int64     `gorm:"column:instance_ref"`
	Params       string     `gorm:"column:params"`
	State        CallState  `gorm:"column:state"`
	BusinessID   string     `gorm:"column:business_id"`
	Attempts     int        `gorm:"column:attempts"`
	IntervalS    int        `gorm:"column:interval_s"`
	WindowS      int        `gorm:"column:window_s"`
	FirstAt      time.Time  `gorm:"column:first_at"`
	DeadlineAt   time.Time  `gorm:"column:deadline_at"`
	NextAt       *time.Time `gorm:"column:next_at"`
	LastError    string     `gorm:"column:last_error"`
	TestFlag     bool       `gorm:"column:test_flag"`
	Restarted    bool       `gorm:"column:restarted"`
	ManualBy     string     `gorm:"column:manual_by"`
	InflightAt   *time.Time `gorm:"column:inflight_at"` // the attempt now in flight was claimed then
	CreatedAt    time.Time  `gorm:"column:created_at"`
	UpdatedAt    time.Time  `gorm:"column:updated_at"`
}

func (Call) TableName() string { return "calls" }

// MaxAttempts is how many attempts the call's window holds: one at the
// start and one every interval until the deadline, inclusive.
func (c Call) MaxAttempts() int {
	if c.IntervalS <= 0 {
		return 1
	}
	return c.WindowS/c.IntervalS + 1
}

// AttemptLimit bounds one attempt (the job runner's timeout): an attempt
// claimed longer ago than this is no longer in flight, whatever the call
// says — its process died, and its next claim logs it interrupted.
const AttemptLimit = time.Minute

// InFlight says whether an attempt of the call may still be waiting on the
// endpoint at now.
func (c Call) InFlight(now time.Time) bool {
	return c.InflightAt != nil && now.Sub(*c.InflightAt) < AttemptLimit
}

// Restartable says whether 重新启动 may start a new attempt now: the call
// failed or is between retries, and no attempt of it is out (a second one
// would be sent beside it and the live one logged as interrupted).
func (c Call) Restartable(now time.Time) bool {
	return (c.State == CallFailed || c.State == CallRetrying) && !c.InFlight(now)
}

// NextAttempt is when the call's next scheduled attempt runs, for a call
// that waits on one (between retries, or polling until ready); a call in any
// other state has none, whatever NextAt still holds.
func (c Call) NextAttempt() (time.Time, bool) {
	if c.NextAt == nil || (c.State != CallRetrying && c.State != CallPolling) {
		return time.Time{}, false
	}
	return *c.NextAt, true
}

// Attempt outcomes.
const (
	OutcomeOK          = "ok"
	OutcomeError       = "error"
	OutcomeInterrupted = "interrupted" // the process died before the answer was recorded
)

// InterfaceMessage is one attempt of a call (生产接口消息), immutable once decided.
type InterfaceMessage struct {
	ID              int64      `gorm:"column:id;primaryKey"`
	MerchantID      int64      `gorm:"column:merchant_id"`
	CallRef         int64      `gorm:"column:call_ref"`
	AttemptNo       int        `gorm:"column:attempt_no"`
	At              time.Time  `gorm:"column:at"`
	Activity        string     `gorm:"column:activity"`
	OrderID         string     `gorm:"column:order_id"`
	OrderLineID     string     `gorm:"column:order_line_id"`
	InstanceID      string     `gorm:"column:instance_id"`
	Protocol        string     `gorm:"column:protocol"`
	Method          string     `gorm:"column:method"`
	URL             string     `gorm:"column:url"`
	RequestHeaders  string     `gorm:"column:request_headers"`
	RequestBody     string     `gorm:"column:request_body"`
	ResponseStatus  int        `gorm:"column:response_status"`
	ResponseHeaders string     `gorm:"column:response_headers"`
	ResponseBody    string     `gorm:"column:response_body"`
	BodySign        string     `gorm:"column:body_sign"`
	ResultCode      string     `gorm:"column:result_code"`
	Outcome         string     `gorm:"column:outcome"`
	ErrorClass      string     `gorm:"column:error_class"`
	ErrorDetail     string     `gorm:"column:error_detail"`
	LatencyMS       int64      `gorm:"column:latency_ms"`
	NextRetryAt     *time.Time `gorm:"column:next_retry_at"`
	Manual          bool       `gorm:"column:manual"`
	ActorEmail      string     `gorm:"column:actor_email"`
}

func (InterfaceMessage) TableName() string { return "interface_messages" }

// Notification type codes (消息类型).
const (
	NotifyProvisioning = 101 // 产品创建开通通知
	NotifyOps          = 501 // 运维提醒
	NotifyOther        = 901 // 其他
)

// Notification is an in-app message (站内信) to a merchant.
type Notification struct {
	ID         int64      `gorm:"column:id;primaryKey"`
	MerchantID int64      `gorm:"column:merchant_id"`
	TypeCode   int        `gorm:"column:type_code"`
	MsgID      string     `gorm:"column:msg_id"`
	MsgArgs    string     `gorm:"column:msg_args"`
	Link       string     `gorm:"column:link"`
	CreatedAt  time.Time  `gorm:"column:created_at"`
	ReadAt     *time.Time `gorm:"column:read_at"`
}

func (Notification) TableName() string { return "notifications" }
