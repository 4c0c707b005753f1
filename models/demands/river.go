package demands

import "github.com/sellercenter/sellercenter/models/jobs"

// QueueName is the River queue of demand timers: a closing demand never waits
// behind interface calls or exports.
const QueueName = "demands"

// timerNames names the demand timer jobs (jobs.TimerArea).
type timerNames struct{}

func (timerNames) Area() string      { return "demands" }
func (timerNames) Queue() string     { return QueueName }
func (timerNames) TimerKind() string { return "demand_timer" }
func (timerNames) SweepKind() string { return "demand_sweep" }
func (timerNames) IDKey() string     { return "demand_id" }

// TimerArgs is the River job of one timer; SweepArgs the periodic sweep.
type (
	TimerArgs = jobs.TimerArgs[timerNames]
	SweepArgs = jobs.SweepArgs[timerNames]
)

// TimerLog keeps timers in memory instead of River (demo replay, tests).
type TimerLog = jobs.TimerLog

// SweepEvery is how often the safety-net sweep runs.
const SweepEvery = jobs.SweepEvery
