// Package tickets is 工单: buyer tickets with the 15-minute first-response
// clock. A ticket's deadline is never counted down; it is recomputed from the
// ticket's history (when the clock started, when it waited on the buyer)
// through the merchant's reception calendar, and the computed instants are
// stored so one indexed query finds what is due. A periodic sweep fires the
// 80 % warning and the breach, each once.
//
// Buyers open tickets through POST /api/v1/tickets (idempotent by ticketId;
// createTime never in the future, at most 7 days old; the answer carries
// firstResponseDueAt, RFC 3339 UTC) or on /buyer/tickets (a buyer login's
// customer_id is its marketplace customer id; it may open a ticket about a
// product it ordered). The merchant works them on /tickets and /tickets/:id.
//
// # States
//
// One action table in models/statemachines.go: 待处理 pending → 处理中
// processing (开始处理, or the first public reply) → 待客户确认
// awaiting_customer (请客户确认; the merchant may 继续处理 back) → 已完成 done
// (the buyer's 确认完成, also from processing). The buyer may 撤销 (revoked)
// any open ticket and 重新打开 a done one (→ pending). Closed tickets take no
// public reply and no buyer message (409 with the reason); internal notes
// stay possible.
//
// # The first-response clock
//
// 15 minutes of the merchant's reception time (models/calendars) from
// createTime: a ticket opened outside the hours starts at the next opening.
// Time in 待客户确认 is a pause. The first public reply stops the clock;
// internal notes do not. A new clock (a new round) starts when the buyer
// reopens a done ticket, or writes in 待客户确认 after the merchant had
// answered; before any answer the buyer's message just ends the pause.
//
// Nothing counts down: the deadline is recomputed from the ticket's events
// (ticket_events: clock starts and state changes give the pauses) through the
// calendar, and stored in warn_at / due_at, plus next_alert_at — the next
// instant to fire. Saving reception hours (or editing the holiday calendar)
// recomputes every open deadline inside the same transaction (the calendars'
// change hooks); fired alerts stay fired.
//
// Alerts: warning at 80 % (12 minutes), breach at 100 %. A River periodic job
// (queue tickets, every 15 s and at start) runs Sweep: one indexed query on
// next_alert_at, then per ticket, in one transaction, the marker (warned_at /
// breached_at), the event, an in-app 501 运维提醒 and an SMS row in
// notification_channel_messages for the assignee (else the merchant's
// owners) — an outbox a delivery worker sends from; no SMS gateway is
// configured, so the rows stay pending. Each fires once; a warning overtaken
// by its breach is marked but not sent. A reply after the deadline that no
// sweep saw records the breach without alerting.
//
// A merchant not receiving tickets (是否接待 = 否) gets none: the API refuses
// the ticket with 422 on productId (the marketplace routes tickets only to
// receiving merchants), so no ticket ever waits without a clock. Tickets
// already open when a merchant switches reception off keep no deadline
// (shown 未开启接待) until it switches it on again; then they are recomputed.
//
// Live clocks: the list, the ticket page and the to-do board (待办事项: the
// merchant's running clocks, earliest deadline first, with the time left in
// reception minutes) carry the seconds left; static/js/app.js counts them down
// while the calendar is open and refreshes those regions every 30 s (no
// inline script).
//
// # Attachments
//
// With a reply or a note, up to 5 of up to 10 MB each. The type is sniffed
// from the bytes (PNG, JPEG, GIF, WebP, PDF, plain text; HTML, SVG, archives
// and executables are refused), stored under a random name in Config.Dir
// (SELLERCENTER_TICKET_DIR, outside the web root), served only as downloads
// (Content-Disposition: attachment, nosniff, a sandbox CSP) to the merchant's
// users and — for public replies only — to the ticket's buyer. A refused file
// refuses the whole reply; nothing is stored.
//
// # SLA report
//
// /tickets/report: the last 12 weeks by the week a clock started and by staff
// member (who answered; an unanswered breach counts for the assignee):
// clocks, answered, median and 90th percentile of the first-response time in
// reception minutes (nearest rank, models/stats), breaches and the breach
// rate (breaches ÷ clocks with an outcome), as tables and a server-rendered
// SVG chart.
//
// # Benchmarks
//
//	go test -run '^$' -bench DueQuery -benchtime 2000x ./models/tickets/
//
// With 1,000,000 open tickets whose clocks run (1,000 due), the sweep's one
// query for a batch of 200 (SEARCH tickets USING COVERING INDEX tickets_alert
// (next_alert_at>? AND next_alert_at<?), a partial index of the rows with
// something left to fire): median 0.18 ms, p95 0.48 ms. Seeding the million
// rows takes about 13 s.
package tickets
