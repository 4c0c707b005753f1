package models

import (
	"slices"
	"testing"
)

// Each table lists every allowed move; every other pair must be refused.
func TestLineTransitions(t *testing.T) {
	ok := map[[2]LineStatus]bool{
		{LineProcessing, LineCompleted}: true, {LineProcessing, LineSupervising}: true,
		{LineProcessing, LineProvisioningFailed}: true, {LineSupervising, LineCompleted}: true,
		{LineSupervising, LineUnsubscribed}: true, {LineProvisioningFailed, LineCompleted}: true,
		{LineProvisioningFailed, LineSupervising}: true, {LineCompleted, LineUnsubscribed}: true,
	}
	for _, from := range LineStatuses {
		for _, to := range LineStatuses {
			err := LineTransition(from, to)
			want := from == to || ok[[2]LineStatus{from, to}]
			if (err == nil) != want {
				t.Errorf("%s → %s: err=%v, want allowed=%v", from, to, err, want)
			}
		}
	}
}

func TestInstanceTransitions(t *testing.T) {
	all := []InstanceStatus{InstanceNormal, InstanceFrozen, InstanceReleased}
	ok := map[[2]InstanceStatus]bool{
		{InstanceNormal, InstanceFrozen}: true, {InstanceNormal, InstanceReleased}: true,
		{InstanceFrozen, InstanceNormal}: true, {InstanceFrozen, InstanceReleased}: true,
	}
	for _, from := range all {
		for _, to := range all {
			err := InstanceTransition(from, to)
			want := from == to || ok[[2]InstanceStatus{from, to}]
			if (err == nil) != want {
				t.Errorf("%s → %s: err=%v, want allowed=%v", from, to, err, want)
			}
		}
	}
}

func TestCallTransitions(t *testing.T) {
	ok := map[[2]CallState]bool{
		{CallPending, CallRetrying}: true, {CallPending, CallPolling}: true, {CallPending, CallSucceeded}: true,
		{CallPending, CallFailed}: true, {CallRetrying, CallRetrying}: true, {CallRetrying, CallPolling}: true,
		{CallRetrying, CallSucceeded}: true, {CallRetrying, CallFailed}: true, {CallRetrying, CallPending}: true,
		{CallPolling, CallPolling}: true, {CallPolling, CallSucceeded}: true, {CallPolling, CallFailed}: true,
		{CallPolling, CallRetrying}: true, {CallFailed, CallPending}: true,
	}
	for _, from := range CallStates {
		for _, to := range CallStates {
			if to == CallRecovered {
				continue
			}
			err := CallTransition(from, to, false)
			if want := ok[[2]CallState{from, to}]; (err == nil) != want {
				t.Errorf("%s → %s: err=%v, want allowed=%v", from, to, err, want)
			}
		}
		// Recovery: only a restarted call that is in flight again may recover.
		wantRecover := from == CallPending || from == CallRetrying || from == CallPolling
		if err := CallTransition(from, CallRecovered, true); (err == nil) != wantRecover {
			t.Errorf("%s → recovered (restarted): err=%v, want allowed=%v", from, err, wantRecover)
		}
		if err := CallTransition(from, CallRecovered, false); err == nil {
			t.Errorf("%s → recovered without a restart was allowed", from)
		}
	}
}

func TestOrderStatusSummarizesLines(t *testing.T) {
	cases := []struct {
		lines []LineStatus
		want  LineStatus
	}{
		{nil, LineProcessing},
		{[]LineStatus{LineCompleted, LineProcessing}, LineProcessing},
		{[]LineStatus{LineCompleted, LineProvisioningFailed}, LineProvisioningFailed},
		{[]LineStatus{LineCompleted, LineSupervising}, LineSupervising},
		{[]LineStatus{LineUnsubscribed, LineUnsubscribed}, LineUnsubscribed},
		{[]LineStatus{LineUnsubscribed, LineCompleted}, LineCompleted},
		{[]LineStatus{LineCompleted}, LineCompleted},
	}
	for _, tc := range cases {
		if got := OrderStatus(tc.lines); got != tc.want {
			t.Errorf("%v → %s, want %s", tc.lines, got, tc.want)
		}
	}
}

func TestMaxAttemptsCoversTheWindow(t *testing.T) {
	if n := (Call{IntervalS: 120, WindowS: 7200}).MaxAttempts(); n != 61 {
		t.Fatalf("2 min for 2 h: %d attempts, want 61", n)
	}
	if n := (Call{IntervalS: 120, WindowS: 3600}).MaxAttempts(); n != 31 {
		t.Fatalf("2 min for 1 h: %d attempts, want 31", n)
	}
}

func TestDemandTransitions(t *testing.T) {
	ok := map[DemandState]map[DemandAction]DemandState{
		DemandPending:  {DemandAccept: DemandAccepted, DemandReject: DemandRejected, DemandTimeout: DemandClosed},
		DemandAccepted: {DemandClose: DemandClosed, DemandAddNote: DemandAccepted, DemandLinkOrder: DemandAccepted},
	}
	checkTransitions(t, DemandStates, DemandActions, DemandTransition, ok)
}

func TestTicketTransitions(t *testing.T) {
	ok := map[TicketState]map[TicketAction]TicketState{
		TicketPending: {TicketStart: TicketProcessing, TicketReply: TicketProcessing, TicketNote: TicketPending,
			TicketBuyerMessage: TicketPending, TicketRevoke: TicketRevoked},
		TicketProcessing: {TicketReply: TicketProcessing, TicketNote: TicketProcessing, TicketAskConfirm: TicketAwaiting,
			TicketBuyerMessage: TicketProcessing, TicketConfirm: TicketDone, TicketRevoke: TicketRevoked},
		TicketAwaiting: {TicketReply: TicketAwaiting, TicketNote: TicketAwaiting, TicketResume: TicketProcessing,
			TicketBuyerMessage: TicketProcessing, TicketConfirm: TicketDone, TicketRevoke: TicketRevoked},
		TicketDone:    {TicketNote: TicketDone, TicketReopen: TicketPending},
		TicketRevoked: {TicketNote: TicketRevoked},
	}
	n := checkTransitions(t, TicketStates, TicketActions, TicketTransition, ok)
	if n != len(TicketStates)*len(TicketActions) || n < 45 {
		t.Fatalf("checked %d pairs", n)
	}
	// No public reply or buyer message on a closed ticket, whatever the table grows into.
	for _, s := range TicketStates {
		for _, a := range []TicketAction{TicketReply, TicketBuyerMessage} {
			if _, err := TicketTransition(s, a); s.Closed() && err == nil {
				t.Errorf("%s on a closed ticket (%s) was allowed", a, s)
			}
		}
	}
}

func TestTicketActionsBelongToOneSide(t *testing.T) {
	buyer := map[TicketAction]bool{TicketBuyerMessage: true, TicketConfirm: true, TicketRevoke: true, TicketReopen: true}
	for _, a := range TicketActions {
		if TicketActionBy(a) != buyer[a] {
			t.Errorf("%s: buyer=%v", a, TicketActionBy(a))
		}
	}
}

func TestTicketActionsFor(t *testing.T) {
	want := map[TicketState][2][]TicketAction{ // merchant, buyer
		TicketPending: {{TicketStart, TicketReply, TicketNote}, {TicketBuyerMessage, TicketRevoke}},
		TicketProcessing: {{TicketReply, TicketNote, TicketAskConfirm},
			{TicketBuyerMessage, TicketConfirm, TicketRevoke}},
		TicketAwaiting: {{TicketReply, TicketNote, TicketResume},
			{TicketBuyerMessage, TicketConfirm, TicketRevoke}},
		TicketDone:    {{TicketNote}, {TicketReopen}},
		TicketRevoked: {{TicketNote}, nil},
	}
	for _, s := range TicketStates {
		for i, buyer := range []bool{false, true} {
			if got := TicketActionsFor(s, buyer); !slices.Equal(got, want[s][i]) {
				t.Errorf("%s, buyer=%v: %v, want %v", s, buyer, got, want[s][i])
			}
		}
	}
}

// checkTransitions checks every pair of states and actions against ok, the
// pairs a table allows and where each leads: an allowed pair must lead
// there, a refused one must fail and leave the state as it was. It returns
// how many pairs it checked, so a test can tell a table from an empty one.
func checkTransitions[S, A ~string](t *testing.T, states []S, actions []A, move func(S, A) (S, error), ok map[S]map[A]S) int {
	t.Helper()
	n := 0
	for _, from := range states {
		for _, a := range actions {
			to, err := move(from, a)
			want, allowed := ok[from][a]
			switch {
			case allowed && (err != nil || to != want):
				t.Errorf("%s --%s--> %s, %v; want %s", from, a, to, err, want)
			case !allowed && err == nil:
				t.Errorf("%s --%s--> %s was allowed", from, a, to)
			case !allowed && to != from:
				t.Errorf("refused %s --%s-- moved to %s", from, a, to)
			}
			n++
		}
	}
	return n
}
