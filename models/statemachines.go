package models

import (
	"errors"
	"fmt"
)

// LineStatus is an order line's (and, summarized, an order's) status.
type LineStatus string

const (
	LineProcessing         LineStatus = "processing"          // 处理中
	LineCompleted          LineStatus = "completed"           // 已完成
	LineSupervising        LineStatus = "supervising"         // 服务监管中
	LineProvisioningFailed LineStatus = "provisioning_failed" // 开通失败 (自动退订)
	LineUnsubscribed       LineStatus = "unsubscribed"        // 已退订
)

// LineStatuses lists them in display order.
var LineStatuses = []LineStatus{LineProcessing, LineCompleted, LineSupervising, LineProvisioningFailed, LineUnsubscribed}

// lineTransitions is the order line's one transition table. A failed line may
// still complete: a manual restart after the window recovers it (已恢复).
var lineTransitions = map[LineStatus][]LineStatus{
	LineProcessing:         {LineCompleted, LineSupervising, LineProvisioningFailed},
	LineSupervising:        {LineCompleted, LineUnsubscribed},
	LineProvisioningFailed: {LineCompleted, LineSupervising},
	LineCompleted:          {LineUnsubscribed},
	LineUnsubscribed:       {},
}

// InstanceStatus is an instance's lifecycle state.
type InstanceStatus string

const (
	InstanceNormal   InstanceStatus = "normal"   // NORMAL
	InstanceFrozen   InstanceStatus = "frozen"   // FROZEN
	InstanceReleased InstanceStatus = "released" // RELEASED
)

// instanceTransitions is the instance's one transition table.
var instanceTransitions = map[InstanceStatus][]InstanceStatus{
	InstanceNormal:   {InstanceFrozen, InstanceReleased},
	InstanceFrozen:   {InstanceNormal, InstanceReleased},
	InstanceReleased: {},
}

// CallState is the state of a call to a merchant endpoint.
type CallState string

const (
	CallPending   CallState = "pending"   // not yet attempted
	CallRetrying  CallState = "retrying"  // 重试中: failed, another attempt is scheduled
	CallPolling   CallState = "polling"   // V2 000004: queryInstance until ready
	CallSucceeded CallState = "succeeded" // 成功
	CallFailed    CallState = "failed"    // 失败: the window closed
	CallRecovered CallState = "recovered" // 已恢复: a restart after failure succeeded
)

// CallStates lists them in display order.
var CallStates = []CallState{CallPending, CallRetrying, CallPolling, CallSucceeded, CallFailed, CallRecovered}

// callTransitions is the call's one transition table. A restart moves a
// failed call back to pending; only a restarted call can end recovered.
var callTransitions = map[CallState][]CallState{
	CallPending:   {CallRetrying, CallPolling, CallSucceeded, CallFailed},
	CallRetrying:  {CallRetrying, CallPolling, CallSucceeded, CallFailed, CallPending},
	CallPolling:   {CallPolling, CallSucceeded, CallFailed, CallRetrying},
	CallFailed:    {CallPending},
	CallSucceeded: {},
	CallRecovered: {},
}

// TransitionError says a state machine refused a move.
type TransitionError struct {
	Machine  string
	From, To string
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("%s: transition %s → %s is not allowed", e.Machine, e.From, e.To)
}

func allowed[S ~string](table map[S][]S, from, to S) bool {
	for _, s := range table[from] {
		if s == to {
			return true
		}
	}
	return false
}

// LineTransition checks a line move; the same status is a no-op, not an error.
func LineTransition(from, to LineStatus) error {
	if from == to || allowed(lineTransitions, from, to) {
		return nil
	}
	return &TransitionError{"order line", string(from), string(to)}
}

// InstanceTransition checks an instance move; the same status is a no-op.
func InstanceTransition(from, to InstanceStatus) error {
	if from == to || allowed(instanceTransitions, from, to) {
		return nil
	}
	return &TransitionError{"instance", string(from), string(to)}
}

// CallTransition checks a call move. Recovery is decided by the caller:
// a success of a call that was restarted after failing ends recovered.
func CallTransition(from, to CallState, restarted bool) error {
	if to == CallRecovered {
		if restarted && (from == CallPending || from == CallRetrying || from == CallPolling) {
			return nil
		}
		return &TransitionError{"call", string(from), string(to)}
	}
	if allowed(callTransitions, from, to) {
		return nil
	}
	return &TransitionError{"call", string(from), string(to)}
}

// OrderStatus summarizes the lines: anything still processing keeps the order
// processing; then a failure shows; then supervision; all unsubscribed is
// unsubscribed; otherwise completed.
func OrderStatus(lines []LineStatus) LineStatus {
	has := map[LineStatus]int{}
	for _, s := range lines {
		has[s]++
	}
	switch {
	case len(lines) == 0 || has[LineProcessing] > 0:
		return LineProcessing
	case has[LineProvisioningFailed] > 0:
		return LineProvisioningFailed
	case has[LineSupervising] > 0:
		return LineSupervising
	case has[LineUnsubscribed] == len(lines):
		return LineUnsubscribed
	}
	return LineCompleted
}

// demandTransitions is the customer demand's one transition table: per state,
// the actions allowed and the state each leads to. Notes and order links keep
// an accepted demand accepted. Who may take an action (the system alone times
// a demand out) and until when (nobody answers after the deadline) are checked
// by models/demands.
var demandTransitions = map[DemandState]map[DemandAction]DemandState{
	DemandPending:  {DemandAccept: DemandAccepted, DemandReject: DemandRejected, DemandTimeout: DemandClosed},
	DemandAccepted: {DemandClose: DemandClosed, DemandAddNote: DemandAccepted, DemandLinkOrder: DemandAccepted},
	DemandRejected: {},
	DemandClosed:   {},
}

// DemandTransition returns the state an action leads to from a state, or a
// TransitionError when the table does not allow it.
func DemandTransition(from DemandState, a DemandAction) (DemandState, error) {
	if to, ok := demandTransitions[from][a]; ok {
		return to, nil
	}
	return from, &TransitionError{"demand", string(from), string(a)}
}

// ticketTransitions is the ticket's one transition table: per state, the
// actions allowed and the state each leads to. Closed tickets (done,
// revoked) take no public reply and no buyer message; a done ticket may be
// reopened by its buyer, which starts a new first-response clock. Internal
// notes never change the state. Who may act is TicketActionBy; both together
// are TicketActionsFor.
var ticketTransitions = map[TicketState]map[TicketAction]TicketState{
	TicketPending: {TicketStart: TicketProcessing, TicketReply: TicketProcessing, TicketNote: TicketPending,
		TicketBuyerMessage: TicketPending, TicketRevoke: TicketRevoked},
	TicketProcessing: {TicketReply: TicketProcessing, TicketNote: TicketProcessing, TicketAskConfirm: TicketAwaiting,
		TicketBuyerMessage: TicketProcessing, TicketConfirm: TicketDone, TicketRevoke: TicketRevoked},
	TicketAwaiting: {TicketReply: TicketAwaiting, TicketNote: TicketAwaiting, TicketResume: TicketProcessing,
		TicketBuyerMessage: TicketProcessing, TicketConfirm: TicketDone, TicketRevoke: TicketRevoked},
	TicketDone:    {TicketNote: TicketDone, TicketReopen: TicketPending},
	TicketRevoked: {TicketNote: TicketRevoked},
}

// TicketTransition returns the state an action leads to from a state, or a
// TransitionError when the table does not allow it.
func TicketTransition(from TicketState, a TicketAction) (TicketState, error) {
	if to, ok := ticketTransitions[from][a]; ok {
		return to, nil
	}
	return from, &TransitionError{"ticket", string(from), string(a)}
}

// TicketActionsFor lists, in TicketActions order, the actions the buyer (or
// else the merchant) may take on a ticket in a state: the one place that
// joins who may act with what the table allows.
func TicketActionsFor(s TicketState, buyer bool) []TicketAction {
	var out []TicketAction
	for _, a := range TicketActions {
		if TicketActionBy(a) != buyer {
			continue
		}
		if _, err := TicketTransition(s, a); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// invoiceTransitions is the customer invoice's one transition table (给用户开票):
// per state, the actions allowed and the state each leads to. An issued
// invoice is never edited, only returned (退票, a credit note in Odoo's
// terms), and only from issued; a return in progress is approved (four-eyes),
// confirmed with the red-letter number, or cancelled back to issued.
// Returned, revoked and rejected are final: their lines may be invoiced anew.
var invoiceTransitions = map[InvoiceStatus]map[InvoiceAction]InvoiceStatus{
	InvoicePending: {InvoiceIssue: InvoiceIssued, InvoiceReject: InvoiceRejected, InvoiceRevoke: InvoiceRevoked},
	InvoiceIssued:  {InvoiceReturn: InvoiceReturning},
	InvoiceReturning: {InvoiceApproveReturn: InvoiceReturning, InvoiceConfirmReturn: InvoiceReturned,
		InvoiceCancelReturn: InvoiceIssued},
	InvoiceReturned: {},
	InvoiceRevoked:  {},
	InvoiceRejected: {},
}

// InvoiceTransition returns the state an action leads to from a state, or a
// TransitionError when the table does not allow it.
func InvoiceTransition(from InvoiceStatus, a InvoiceAction) (InvoiceStatus, error) {
	if to, ok := invoiceTransitions[from][a]; ok {
		return to, nil
	}
	return from, &TransitionError{"invoice", string(from), string(a)}
}

// InvoiceActionByBuyer reports whether an action is the buyer's (only
// revoking a pending request); every other one is finance's.
func InvoiceActionByBuyer(a InvoiceAction) bool { return a == InvoiceRevoke }

// InvoiceActionsFor lists, in InvoiceActions order, what the actor may do to
// the invoice now: the table, who acts (the buyer revokes; finance and
// owners do the rest, for their own merchant), and the four-eyes rule (a
// return awaiting approval is approved by someone other than its requester
// and cannot be confirmed before). Views render exactly this list.
func InvoiceActionsFor(inv *Invoice, actor Actor) []InvoiceAction {
	buyer := actor.Can(PermBuyerPortal)
	if !buyer && (!actor.Can(PermInvoices) || actor.MerchantID != inv.MerchantID) {
		return nil
	}
	var out []InvoiceAction
	for _, a := range InvoiceActions {
		if InvoiceActionByBuyer(a) != buyer {
			continue
		}
		if _, err := InvoiceTransition(inv.Status, a); err != nil {
			continue
		}
		if InvoiceGuard(inv, a, actor.UserID) == nil {
			out = append(out, a)
		}
	}
	return out
}

// InvoiceGuard is the four-eyes rule on top of the table: approve-return
// only while a return awaits approval and not by its requester;
// confirm-return only once approved (when approval is needed).
func InvoiceGuard(inv *Invoice, a InvoiceAction, userID int64) error {
	switch a {
	case InvoiceApproveReturn:
		if !inv.ReturnAwaitsApproval() {
			return &TransitionError{"invoice", string(inv.Status), string(a)}
		}
		if inv.ReturnRequestedBy != nil && *inv.ReturnRequestedBy == userID {
			return ErrOwnApproval
		}
	case InvoiceConfirmReturn:
		if inv.ReturnAwaitsApproval() {
			return ErrApprovalPending
		}
	}
	return nil
}

// Four-eyes refusals.
var (
	ErrOwnApproval     = errors.New("four-eyes: the requester cannot approve their own return")
	ErrApprovalPending = errors.New("four-eyes: the return awaits a second person's approval")
)

// platformFeeTransitions is the platform-fee invoice request's one
// transition table: operations issue or reject a pending request.
var platformFeeTransitions = map[PlatformFeeStatus]map[PlatformFeeAction]PlatformFeeStatus{
	PlatformFeePending:  {PlatformFeeIssue: PlatformFeeIssued, PlatformFeeReject: PlatformFeeRejected},
	PlatformFeeIssued:   {},
	PlatformFeeRejected: {},
}

// PlatformFeeTransition returns the state an action leads to from a state,
// or a TransitionError when the table does not allow it.
func PlatformFeeTransition(from PlatformFeeStatus, a PlatformFeeAction) (PlatformFeeStatus, error) {
	if to, ok := platformFeeTransitions[from][a]; ok {
		return to, nil
	}
	return from, &TransitionError{"platform fee request", string(from), string(a)}
}

// PlatformFeeActionsFor lists, in PlatformFeeActions order, what the actor
// may do to a platform-fee request now: only operations act (the platform
// issues its own invoice), and only where the table allows. Views render
// exactly this list.
func PlatformFeeActionsFor(r *PlatformFeeRequest, actor Actor) []PlatformFeeAction {
	if !actor.Can(PermAdminInvoices) {
		return nil
	}
	var out []PlatformFeeAction
	for _, a := range PlatformFeeActions {
		if _, err := PlatformFeeTransition(r.Status, a); err == nil {
			out = append(out, a)
		}
	}
	return out
}
