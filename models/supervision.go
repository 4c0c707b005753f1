package models

import "time"

// SupNode is where a supervision flow (服务监管) stands.
type SupNode string

const (
	SupRequirements SupNode = "requirements" // 用户提交需求
	SupConfirm      SupNode = "confirm"      // 商家确认需求
	SupDelivery     SupNode = "delivery"     // 服务实施
	SupAcceptance   SupNode = "acceptance"   // 用户确认验收
	SupDone         SupNode = "done"         // 已完成
	SupClosed       SupNode = "closed"       // 已关闭 (退订)
)

// SupNodes lists them in display order.
var SupNodes = []SupNode{SupRequirements, SupConfirm, SupDelivery, SupAcceptance, SupDone, SupClosed}

// Open reports whether the flow still runs (its line is supervising).
func (n SupNode) Open() bool { return n != SupDone && n != SupClosed }

// MsgID is the catalog key of the node's label.
func (n SupNode) MsgID() string { return "supervision.node." + string(n) }

// SupAppeal is the appeal overlay of a flow (申诉状态).
type SupAppeal string

const (
	SupAppealNone  SupAppeal = "none"  // 无申诉
	SupAppealOpen  SupAppeal = "open"  // 申诉中: the flow is frozen
	SupAppealRuled SupAppeal = "ruled" // 已裁决
)

// SupAppeals lists them in display order.
var SupAppeals = []SupAppeal{SupAppealNone, SupAppealOpen, SupAppealRuled}

// MsgID is the catalog key of the appeal state's label.
func (a SupAppeal) MsgID() string { return "supervision.appeal." + string(a) }

// SupVariant is how a supervised product is delivered.
type SupVariant string

const (
	SupManual   SupVariant = "manual"   // 人工服务 / 线下交付SaaS
	SupHardware SupVariant = "hardware" // 硬件
	SupLicense  SupVariant = "license"  // License
)

// SupVariants lists them in display order.
var SupVariants = []SupVariant{SupManual, SupHardware, SupLicense}

// MsgID is the catalog key of the variant's label.
func (v SupVariant) MsgID() string { return "supervision.variant." + string(v) }

// Acceptance modes (验收方式).
const (
	SupAcceptManual = "manual"
	SupAcceptAuto   = "auto"
)

// SupRuling is an operations manager's decision on an appeal.
type SupRuling string

const (
	SupRuleDismiss     SupRuling = "dismiss"     // 驳回申诉: the flow resumes at its node
	SupRuleAccept      SupRuling = "accept"      // 判定验收
	SupRuleReturn      SupRuling = "return"      // 退回商家: back to delivery
	SupRuleUnsubscribe SupRuling = "unsubscribe" // 退订
)

// SupRulings lists them in display order.
var SupRulings = []SupRuling{SupRuleDismiss, SupRuleAccept, SupRuleReturn, SupRuleUnsubscribe}

// MsgID is the catalog key of the ruling's label.
func (r SupRuling) MsgID() string { return "supervision.ruling." + string(r) }

// Outcomes an appellant may ask for.
const (
	SupOutcomeAccept      = "accept"
	SupOutcomeReturn      = "return"
	SupOutcomeUnsubscribe = "unsubscribe"
	SupOutcomeOther       = "other"
)

// SupOutcomes lists them in display order.
var SupOutcomes = []string{SupOutcomeAccept, SupOutcomeReturn, SupOutcomeUnsubscribe, SupOutcomeOther}

// SupParty is who acts on a flow.
type SupParty string

const (
	SupPartyBuyer    SupParty = "buyer"
	SupPartyMerchant SupParty = "merchant"
	SupPartyOps      SupParty = "ops"
	SupPartySystem   SupParty = "system"
)

// SupAction is something done to a flow's node; the transition table says
// at which node it is allowed and where it leads, SupActionBy who does it.
type SupAction string

const (
	SupSubmit       SupAction = "submit"        // buyer: 提交需求
	SupConfirmReq   SupAction = "confirm"       // merchant: 确认需求
	SupRejectReq    SupAction = "reject"        // merchant: 驳回 (back to requirements)
	SupDeliver      SupAction = "deliver"       // merchant: 确认服务完成 + 交付验收文档
	SupShip         SupAction = "ship"          // merchant (hardware): carrier and tracking number
	SupActivate     SupAction = "activate"      // merchant (license): activated, proof uploaded
	SupParcelSigned SupAction = "parcel_signed" // buyer or merchant (hardware): the parcel was signed for
	SupAccept       SupAction = "accept"        // buyer: 确认验收
	SupRejectDeliv  SupAction = "refuse"        // buyer: 驳回 (back to delivery)
	SupAutoAccept   SupAction = "auto_accept"   // system: hardware 10 days after signing, license after proof
	SupForceAccept  SupAction = "force_accept"  // ops ruling 判定验收, or the old 365-day rule
	SupReturn       SupAction = "return"        // ops ruling 退回商家
	SupUnsubscribe  SupAction = "unsubscribe"   // ops ruling 退订, or the old 365-day rule
)

// SupActions lists every node action.
var SupActions = []SupAction{SupSubmit, SupConfirmReq, SupRejectReq, SupDeliver, SupShip, SupActivate,
	SupParcelSigned, SupAccept, SupRejectDeliv, SupAutoAccept, SupForceAccept, SupReturn, SupUnsubscribe}

// supTransitions is the flow's one transition table: per node, the actions
// allowed and the node each leads to. A ruling or the old rule may end a
// flow at any open node; parcel_signed keeps the flow waiting for the
// buyer (it starts the automatic-acceptance clock).
var supTransitions = map[SupNode]map[SupAction]SupNode{
	SupRequirements: {SupSubmit: SupConfirm,
		SupForceAccept: SupDone, SupReturn: SupDelivery, SupUnsubscribe: SupClosed},
	SupConfirm: {SupConfirmReq: SupDelivery, SupRejectReq: SupRequirements,
		SupForceAccept: SupDone, SupReturn: SupDelivery, SupUnsubscribe: SupClosed},
	SupDelivery: {SupDeliver: SupAcceptance, SupShip: SupAcceptance, SupActivate: SupAcceptance,
		SupForceAccept: SupDone, SupReturn: SupDelivery, SupUnsubscribe: SupClosed},
	SupAcceptance: {SupAccept: SupDone, SupRejectDeliv: SupDelivery, SupParcelSigned: SupAcceptance,
		SupAutoAccept: SupDone, SupForceAccept: SupDone, SupReturn: SupDelivery, SupUnsubscribe: SupClosed},
	SupDone:   {},
	SupClosed: {},
}

// SupTransition returns the node an action leads to from a node, or a
// TransitionError when the table does not allow it.
func SupTransition(from SupNode, a SupAction) (SupNode, error) {
	if to, ok := supTransitions[from][a]; ok {
		return to, nil
	}
	return from, &TransitionError{"supervision", string(from), string(a)}
}

// SupActionBy is who may take an action.
func SupActionBy(a SupAction) []SupParty {
	switch a {
	case SupSubmit, SupAccept, SupRejectDeliv:
		return []SupParty{SupPartyBuyer}
	case SupConfirmReq, SupRejectReq, SupDeliver, SupShip, SupActivate:
		return []SupParty{SupPartyMerchant}
	case SupParcelSigned:
		return []SupParty{SupPartyBuyer, SupPartyMerchant}
	case SupForceAccept, SupReturn, SupUnsubscribe:
		return []SupParty{SupPartyOps, SupPartySystem}
	}
	return []SupParty{SupPartySystem}
}

// SupVariantAllows says whether a product variant has the action: delivery
// is a document for manual service, a parcel for hardware, an activation
// for a license; only a parcel is signed for.
func SupVariantAllows(v SupVariant, a SupAction) bool {
	switch a {
	case SupDeliver:
		return v == SupManual
	case SupShip, SupParcelSigned:
		return v == SupHardware
	case SupActivate:
		return v == SupLicense
	}
	return true
}

// TakesText says whether the action carries a text: the requirements, a
// rejection's reason (either side's), a delivery's note.
func (a SupAction) TakesText() bool {
	return a == SupSubmit || a == SupRejectReq || a == SupDeliver || a == SupRejectDeliv
}

// TakesFiles says whether the action carries documents: the requirements'
// attachments, the delivery acceptance document, a license's activation
// proof, the evidence for refusing a delivery.
func (a SupAction) TakesFiles() bool {
	return a == SupSubmit || a == SupDeliver || a == SupActivate || a == SupRejectDeliv
}

// SupAppealAction is what happens to a flow's appeal overlay.
type SupAppealAction string

const (
	SupAppealFile SupAppealAction = "file" // 发起申诉, by either party
	SupAppealRule SupAppealAction = "rule" // an operations manager's ruling
)

// SupAppealActions lists them.
var SupAppealActions = []SupAppealAction{SupAppealFile, SupAppealRule}

// supAppealTransitions is the appeal overlay's one transition table: one
// appeal open at a time; after a ruling either party may appeal again.
var supAppealTransitions = map[SupAppeal]map[SupAppealAction]SupAppeal{
	SupAppealNone:  {SupAppealFile: SupAppealOpen},
	SupAppealOpen:  {SupAppealRule: SupAppealRuled},
	SupAppealRuled: {SupAppealFile: SupAppealOpen},
}

// SupAppealTransition returns the appeal state an action leads to, or a
// TransitionError when the table does not allow it.
func SupAppealTransition(from SupAppeal, a SupAppealAction) (SupAppeal, error) {
	if to, ok := supAppealTransitions[from][a]; ok {
		return to, nil
	}
	return from, &TransitionError{"supervision appeal", string(from), string(a)}
}

// SupActionsFor lists, in SupActions order, what a party may do on a flow
// now: the one place joining the node table, who acts, the variant and the
// freeze of an open appeal (nothing moves a node while it is open, except
// the ruling itself, which is not a party's node action).
func SupActionsFor(node SupNode, appeal SupAppeal, v SupVariant, p SupParty) []SupAction {
	if appeal == SupAppealOpen {
		return nil
	}
	var out []SupAction
	for _, a := range SupActions {
		if !SupVariantAllows(v, a) || !partyIn(p, SupActionBy(a)) {
			continue
		}
		if _, err := SupTransition(node, a); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// SupCanAppeal says whether a party may file an appeal now: at any open
// node, when none is open.
func SupCanAppeal(node SupNode, appeal SupAppeal, p SupParty) bool {
	if p != SupPartyBuyer && p != SupPartyMerchant || !node.Open() {
		return false
	}
	_, err := SupAppealTransition(appeal, SupAppealFile)
	return err == nil
}

func partyIn(p SupParty, ps []SupParty) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

// Settleable is the settlement gate: a line is billed only when its
// supervision is 不涉及 or 已完成.
func Settleable(s Supervision) bool { return s == SupervisionNone || s == SupervisionDone }

// Supervision event kinds (the timeline).
const (
	SupEvStarted       = "started"
	SupEvSubmitted     = "submitted"
	SupEvConfirmed     = "confirmed"
	SupEvRejected      = "rejected"
	SupEvDelivered     = "delivered"
	SupEvShipped       = "shipped"
	SupEvActivated     = "activated"
	SupEvSigned        = "signed"
	SupEvAccepted      = "accepted"
	SupEvRefused       = "refused"
	SupEvAutoAccepted  = "auto_accepted"
	SupEvSLAOverdue    = "sla_overdue"
	SupEvLongRunning   = "long_running"
	SupEvAppealed      = "appealed"
	SupEvRuled         = "ruled"
	SupEvAppealWarned  = "appeal_warned"
	SupEvAppealOverdue = "appeal_overdue"
	SupEvOldRule       = "old_rule"
	SupEvValidity      = "validity_shifted"
	SupEvReturned      = "returned"
	SupEvUnsubscribed  = "unsubscribed"
)

// SupEventKinds lists them (for the catalog check).
var SupEventKinds = []string{SupEvStarted, SupEvSubmitted, SupEvConfirmed, SupEvRejected, SupEvDelivered,
	SupEvShipped, SupEvActivated, SupEvSigned, SupEvAccepted, SupEvRefused, SupEvAutoAccepted, SupEvSLAOverdue,
	SupEvLongRunning, SupEvAppealed, SupEvRuled, SupEvAppealWarned, SupEvAppealOverdue, SupEvOldRule, SupEvValidity,
	SupEvReturned, SupEvUnsubscribed}

// Document kinds.
const (
	SupDocRequirements = "requirements"
	SupDocDelivery     = "delivery"
	SupDocProof        = "proof"
	SupDocEvidence     = "evidence"
	SupDocTemplate     = "template"
)

// Supervision text limits, in characters.
const (
	SupTextMax      = 5000
	SupReasonMin    = 5
	SupReasonMax    = 1000
	SupCriteriaMax  = 5000
	SupTrackingMax  = 64
	SupCarrierMax   = 64
	SupEventIDMax   = 64
	SupHardwareDays = 10 // automatic acceptance after the parcel was signed for
	SupRulingDays   = 3  // working days operations has to rule
)

// SupSettings are a supervised product's settings.
type SupSettings struct {
	ProductRef     int64      `gorm:"column:product_ref;primaryKey"`
	MerchantID     int64      `gorm:"column:merchant_id"`
	Variant        SupVariant `gorm:"column:variant"`
	SLADays        int        `gorm:"column:sla_days"`
	Criteria       string     `gorm:"column:criteria"`
	AcceptanceMode string     `gorm:"column:acceptance_mode"`
	TemplateDocRef *int64     `gorm:"column:template_doc_ref"`
	UpdatedAt      time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`
	UpdatedBy      string     `gorm:"column:updated_by"`
}

func (SupSettings) TableName() string { return "supervision_settings" }

// DefaultSupSettings is what a supervised product without a settings row gets.
func DefaultSupSettings() SupSettings {
	return SupSettings{Variant: SupManual, SLADays: 30, AcceptanceMode: SupAcceptManual}
}

// SupFlow is one supervised order line's flow.
type SupFlow struct {
	ID             int64      `gorm:"column:id;primaryKey"`
	MerchantID     int64      `gorm:"column:merchant_id"`
	LineRef        int64      `gorm:"column:line_ref"`
	OrderRef       int64      `gorm:"column:order_ref"`
	ProductRef     int64      `gorm:"column:product_ref"`
	BuyerRef       int64      `gorm:"column:buyer_ref"`
	Variant        SupVariant `gorm:"column:variant"`
	AcceptanceMode string     `gorm:"column:acceptance_mode"`
	SLADays        int        `gorm:"column:sla_days"`
	Criteria       string     `gorm:"column:criteria"`
	Node           SupNode    `gorm:"column:node"`
	Appeal         SupAppeal  `gorm:"column:appeal"`
	AppealRef      *int64     `gorm:"column:appeal_ref"`
	NodeEnteredAt  time.Time  `gorm:"column:node_entered_at"`
	StartedAt      time.Time  `gorm:"column:started_at"`
	Requirements   string     `gorm:"column:requirements"`
	RejectCount    int        `gorm:"column:reject_count"`
	SLADueAt       *time.Time `gorm:"column:sla_due_at"`
	SLALeftS       *int64     `gorm:"column:sla_left_s"`
	SLAOverdueAt   *time.Time `gorm:"column:sla_overdue_at"`
	AcceptDueAt    *time.Time `gorm:"column:accept_due_at"`
	AcceptLeftS    *int64     `gorm:"column:accept_left_s"`
	WarnDueAt      *time.Time `gorm:"column:warn_due_at"`
	WarnLeftS      *int64     `gorm:"column:warn_left_s"`
	WarnedCount    int        `gorm:"column:warned_count"`
	OldRuleDueAt   *time.Time `gorm:"column:old_rule_due_at"`
	OldRuleLeftS   *int64     `gorm:"column:old_rule_left_s"`
	PausedAt       *time.Time `gorm:"column:paused_at"`
	ServiceStartAt *time.Time `gorm:"column:service_start_at"`
	ValidFrom      *time.Time `gorm:"column:valid_from"`
	ValidTo        *time.Time `gorm:"column:valid_to"`
	Carrier        string     `gorm:"column:carrier"`
	TrackingNo     string     `gorm:"column:tracking_no"`
	ShippedAt      *time.Time `gorm:"column:shipped_at"`
	SignedAt       *time.Time `gorm:"column:signed_at"`
	PhoneMismatch  bool       `gorm:"column:phone_mismatch"`
	ActivatedAt    *time.Time `gorm:"column:activated_at"`
	AcceptedAt     *time.Time `gorm:"column:accepted_at"`
	ClosedAt       *time.Time `gorm:"column:closed_at"`
	// The service's clock sets both (GORM's own would read the wall clock).
	CreatedAt time.Time `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (SupFlow) TableName() string { return "supervision_flows" }

// Overdue reports whether the delivery SLA was missed (超期).
func (f *SupFlow) Overdue() bool { return f.SLAOverdueAt != nil }

// SupEvent is one immutable line of a flow's timeline.
type SupEvent struct {
	ID          int64     `gorm:"column:id;primaryKey"`
	FlowRef     int64     `gorm:"column:flow_ref"`
	At          time.Time `gorm:"column:at"`
	Kind        string    `gorm:"column:kind"`
	Party       SupParty  `gorm:"column:party"`
	Actor       string    `gorm:"column:actor"`
	ActorUserID *int64    `gorm:"column:actor_user_id"`
	NodeFrom    SupNode   `gorm:"column:node_from"`
	NodeTo      SupNode   `gorm:"column:node_to"`
	Text        string    `gorm:"column:text"`
	Detail      string    `gorm:"column:detail"`
}

func (SupEvent) TableName() string { return "supervision_events" }

// SupDocument is a stored file of a flow (or a product's template).
type SupDocument struct {
	ID          int64     `gorm:"column:id;primaryKey"`
	MerchantID  int64     `gorm:"column:merchant_id"`
	FlowRef     *int64    `gorm:"column:flow_ref"`
	EventRef    *int64    `gorm:"column:event_ref"`
	ProductRef  *int64    `gorm:"column:product_ref"`
	Kind        string    `gorm:"column:kind"`
	Party       SupParty  `gorm:"column:party"`
	FileName    string    `gorm:"column:file_name"`
	ContentType string    `gorm:"column:content_type"`
	Size        int64     `gorm:"column:size"`
	SHA256      string    `gorm:"column:sha256"`
	StorageName string    `gorm:"column:storage_name"`
	CreatedAt   time.Time `gorm:"column:created_at"`
}

func (SupDocument) TableName() string { return "supervision_documents" }

// SupAppealRow is one appeal (服务监管申诉).
type SupAppealRow struct {
	ID            int64      `gorm:"column:id;primaryKey"`
	FlowRef       int64      `gorm:"column:flow_ref"`
	MerchantID    int64      `gorm:"column:merchant_id"`
	Party         SupParty   `gorm:"column:party"`
	FiledBy       string     `gorm:"column:filed_by"`
	FiledByUserID *int64     `gorm:"column:filed_by_user_id"`
	Node          SupNode    `gorm:"column:node"`
	Reason        string     `gorm:"column:reason"`
	Outcome       string     `gorm:"column:outcome"`
	EventRef      *int64     `gorm:"column:event_ref"`
	State         SupAppeal  `gorm:"column:state"`
	FiledAt       time.Time  `gorm:"column:filed_at"`
	DueAt         time.Time  `gorm:"column:due_at"`
	WarnAt        time.Time  `gorm:"column:warn_at"`
	WarnedAt      *time.Time `gorm:"column:warned_at"`
	EscalatedAt   *time.Time `gorm:"column:escalated_at"`
	Ruling        SupRuling  `gorm:"column:ruling"`
	RulingReason  string     `gorm:"column:ruling_reason"`
	RuledBy       string     `gorm:"column:ruled_by"`
	RuledByUserID *int64     `gorm:"column:ruled_by_user_id"`
	RuledAt       *time.Time `gorm:"column:ruled_at"`
}

func (SupAppealRow) TableName() string { return "supervision_appeals" }

// SupPolicy is the long-running supervision policy (one row).
type SupPolicy struct {
	ID             int64      `gorm:"column:id;primaryKey"`
	WarnAfterDays  int        `gorm:"column:warn_after_days"`
	WarnEveryDays  int        `gorm:"column:warn_every_days"`
	OldRuleEnabled bool       `gorm:"column:old_rule_enabled"`
	OldRuleDays    int        `gorm:"column:old_rule_days"`
	SummaryDueAt   *time.Time `gorm:"column:summary_due_at"`
	UpdatedBy      string     `gorm:"column:updated_by"`
	UpdatedAt      *time.Time `gorm:"column:updated_at"`
}

func (SupPolicy) TableName() string { return "supervision_policy" }

// Audit actions of supervision.
const (
	AuditSupStarted        = "supervision.started"
	AuditSupAction         = "supervision.action"
	AuditSupAppealed       = "supervision.appealed"
	AuditSupRuled          = "supervision.ruled"
	AuditSupSettings       = "supervision.settings"
	AuditSupPolicy         = "supervision.policy"
	AuditSupEvidenceExport = "supervision.evidence_exported"
	AuditSupAutoClosed     = "supervision.auto_closed"
)

// SupShiftedValidity is the validity of a line whose 服务实际开通时间 was left
// empty: the period the buyer paid for starts at acceptance (bought 1 Jan,
// accepted 1 Feb → valid 1 Feb–1 Mar). Monthly and yearly periods count
// calendar months in Beijing time; any other line keeps the length it had
// from its order time. ok is false for a line without an expiry (nothing
// to move).
func SupShiftedValidity(orderedAt time.Time, expireAt *time.Time, periodType string, periodN int,
	acceptedAt time.Time, loc *time.Location) (from, to time.Time, ok bool) {
	if expireAt == nil {
		return acceptedAt, time.Time{}, false
	}
	if loc == nil {
		loc = time.UTC
	}
	from = acceptedAt.UTC()
	switch {
	case periodType == "month" && periodN > 0:
		to = acceptedAt.In(loc).AddDate(0, periodN, 0).UTC()
	case periodType == "year" && periodN > 0:
		to = acceptedAt.In(loc).AddDate(periodN, 0, 0).UTC()
	default:
		to = from.Add(expireAt.Sub(orderedAt))
	}
	return from, to, true
}
