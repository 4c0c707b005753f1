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

// CallActivities are the activities a call is recorded under (the log's
// list of calls filters on them); its attempts name the protocol's wire
// activity, which differs by protocol version (CallActivity maps back).
var CallActivities = []string{ActNewInstance, ActRefreshInstance, ActExpireInstance, ActUpdateStatus, ActReleaseInstance,
	ActUpgrade, ActOrderNotify}

// CallActivity is the call activity an attempt's wire activity belongs to.
func CallActivity(wire string) string {
	switch wire {
	case ActQueryInstance:
		return ActNewInstance // polled until the created instance is ready
	case ActInstanceStatus:
		return ActUpdateStatus
	case ActUpgradeInstance:
		return ActUpgrade
	}
	return wire
}

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
	InflightAt   *time.Time `gorm:"column:inflight_at"`   // the attempt now in flight was claimed then
	OrderID      string     `gorm:"column:order_id"`      // the line's order, for the log's filter
	OrderLineID  string     `gorm:"column:order_line_id"` // the line's marketplace id
	// ClosedAt is when the platform auto-unsubscribed the call's line after
	// its create window ran out: the line is closed and the call stays failed.
	ClosedAt  *time.Time `gorm:"column:closed_at"`
	CreatedAt time.Time  `gorm:"column:created_at"`
	UpdatedAt time.Time  `gorm:"column:updated_at"`
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
// failed or is between retries, its line was not auto-unsubscribed (the
// buyer is refunded; an instance created now would be one nobody pays for),
// and no attempt of it is out (a second one would be sent beside it and the
// live one logged as interrupted).
func (c Call) Restartable(now time.Time) bool {
	return (c.State == CallFailed || c.State == CallRetrying) && c.ClosedAt == nil && !c.InFlight(now)
}

// CallView is a call's state as the message log shows and filters it.
type CallView string

const (
	ViewOK        CallView = "ok"        // 成功
	ViewRetrying  CallView = "retrying"  // 重试中: not yet answered, between retries or polling
	ViewFailed    CallView = "failed"    // 失败: the window closed, the line is still open
	ViewRecovered CallView = "recovered" // 已恢复: a restart after failure succeeded
	ViewClosed    CallView = "closed"    // 已关闭: failed and its line auto-unsubscribed
)

// CallViews lists them in display order.
var CallViews = []CallView{ViewRetrying, ViewFailed, ViewClosed, ViewRecovered, ViewOK}

// ViewOf maps a call's state (and whether its line was auto-unsubscribed)
// to what the log shows.
func ViewOf(s CallState, closed bool) CallView {
	switch s {
	case CallSucceeded:
		return ViewOK
	case CallRecovered:
		return ViewRecovered
	case CallFailed:
		if closed {
			return ViewClosed
		}
		return ViewFailed
	}
	return ViewRetrying
}

// View is the call's state as the log shows it.
func (c Call) View() CallView { return ViewOf(c.State, c.ClosedAt != nil) }

// OpenError is the error class the log shows beside the call: its last
// attempt's, while the call has not succeeded (a recovered call's old
// failure is history, on its page). "" when there is none to show.
func (c Call) OpenError() string {
	if v := c.View(); v == ViewOK || v == ViewRecovered {
		return ""
	}
	return c.LastError
}

// AttemptsShown is the attempt count as "n / N": the scheduled attempts
// against the policy's maximum, never more than it, and apart the attempts a
// person added with 重新启动 beyond the schedule.
func (c Call) AttemptsShown() (n, max, extra int) {
	max = c.MaxAttempts()
	n = c.Attempts
	if n > max {
		return max, max, n - max
	}
	return n, max, 0
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

// NoAnswer says the attempt got no HTTP answer at all (connection refused,
// timeout, configuration): its status is 0, which the log shows as 无响应.
func (m InterfaceMessage) NoAnswer() bool { return m.ResponseStatus == 0 }

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
