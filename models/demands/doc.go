// Package demands is customer demands (客户需求): operations assigns a demand
// to a merchant; the merchant accepts (接收) or rejects (拒绝, with a reason)
// within the acceptance window, else the system closes it at the deadline
// (已关闭, 超时未接收). Accepted demands keep follow-up notes and may be
// linked to one of the merchant's orders. The deadline and the reminders (3
// days and 1 day left) are computed through the business-time engine, stored
// in indexed columns, fired by River jobs at their exact instants and by a
// periodic sweep as a safety net.
//
// Operations assigns on /admin/demands (title, customer name, optional
// productId of that merchant, description); the merchant answers on
// /demands/:id.
//
//   - States (models/statemachines.go, one table): 待接收 → 已接收 (接收) /
//     已拒绝 (拒绝, reason 5–500 characters) / 已关闭 (超时未接收, the system at
//     the deadline); 已接收 → follow-up notes, 转订单 (link one of the
//     merchant's own orders by its number; another merchant's is refused
//     like an unknown one), 关闭. From the deadline on nobody can accept or
//     reject, even before the closing job ran (409 with the message; nothing
//     changes).
//   - Window: 5 days from the assignment, natural days by default; operations
//     can switch new demands to working days on the holiday calendar
//     (app_settings key demands.window_mode, counted in Asia/Shanghai days).
//     A demand keeps the mode it was assigned with; its deadline and
//     reminder instants are computed from that assignment through
//     models/bizclock and stored in indexed columns. A holiday edit that
//     lengthens an open working-day window moves its instants later (the
//     calendar's change hook); no edit shortens a window the merchant was
//     shown.
//   - Timers: three River jobs per demand (queue demands) inserted with it —
//     3 days left, 1 day left (in-app 501 运维提醒, like the assignment
//     notice: they ask the merchant to act before a deadline) and the
//     deadline (closes it; a 901 其他 notice, nothing left to do). Each fires
//     once (marked in its transaction); a job early by the application clock
//     snoozes until its instant; a sweep every 5 minutes (and at start) fires
//     whatever a lost job missed. A late start sends only the 1-day reminder.
//   - Rates: per merchant, accepted (including accepted then closed) ÷
//     (accepted + rejected + timed out). The to-do board counts pending
//     demands and lists those past their 1-day reminder (a working day before
//     the deadline when the window counts working days) as live clocks.
//
// # Benchmarks
//
//	go test -run '^$' -bench DemandsDue -benchtime 200x ./models/demands/
//
// With 1,000,000 pending demands, one DueIDs query (a batch of 500, the
// sweep's query) per timer kind; each reads its partial index (SEARCH demands
// USING COVERING INDEX demands_due (due_at<?), and demands_remind1 /
// demands_remind3). Seeding the million rows takes about 10 s.
//
//	timer               median    p95
//	deadline (close)    0.15 ms   0.47 ms
//	1 day left          0.19 ms   0.47 ms
//	3 days left         0.15 ms   0.32 ms
package demands
