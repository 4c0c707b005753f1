package supervision

import "github.com/sellercenter/sellercenter/models/jobs"

// QueueName is the River queue of supervision timers: an automatic
// acceptance never waits behind interface calls or exports.
const QueueName = "supervision"

// timerNames names the supervision timer jobs (jobs.TimerArea).
type timerNames struct{}

func (timerNames) Area() string      { return "supervision" }
func (timerNames) Queue() string     { return QueueName }
func (timerNames) TimerKind() string { return "supervision_timer" }
func (timerNames) SweepKind() string { return "supervision_sweep" }
func (timerNames) IDKey() string     { return "id" }

// TimerArgs is the River job of one timer (its ID the flow's, or the
// appeal's for appeal timers); SweepArgs the sweep and weekly summary.
type (
	TimerArgs = jobs.TimerArgs[timerNames]
	SweepArgs = jobs.SweepArgs[timerNames]
)

// TimerLog keeps timers in memory instead of River (demo replay, tests).
type TimerLog = jobs.TimerLog

// SweepEvery is how often the safety-net sweep runs.
const SweepEvery = jobs.SweepEvery
