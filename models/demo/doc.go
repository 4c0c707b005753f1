// Package demo seeds a new database with the demo merchants and logins of the
// contract (DESIGN.md §4), so a fresh clone has something to click through.
//
// Two merchants: Acme (acme) with 00301-100001-0--0 CRM monthly (trial
// allowed), 00301-100002-0--0 CRM yearly and 00301-100003-0--0 implementation
// service (supervised), on a sandbox endpoint (V2, AES-256, healthy); Globex
// (globex) with 00302-200001-0--0 mail monthly, on a sandbox endpoint (V1,
// AES-128) that fails half its calls on purpose. The sandboxes are started on
// loopback ports at every run of a demo database (web.DemoSandboxes).
//
// Three hours of provisioning history are replayed against them: completed,
// supervised, renewed, frozen and unsubscribed orders at Acme; at Globex a
// create that exhausted its two-hour window and was auto-unsubscribed
// (自动退订), one recovered by 重新启动, and live retries — so 生产接口消息
// shows real failures, retries and a restart.
//
// Customer demands are replayed over the last 12 days with their reminders
// and auto-closes at their exact instants: at Acme two pending ones (one with
// about 3 hours left), one accepted with a follow-up note and ORD-ACME-0002
// linked, one rejected, one closed by the system (超时未接收) and one accepted
// then closed; at Globex one of each state.
//
// Tickets at Acme are replayed through the ticket service on Acme's reception
// hours, measured back from the moment the demo starts: answered in time and
// confirmed done (已完成), answered late, answered with an internal note first,
// waiting on the buyer (待客户确认), revoked by the buyer (已撤销), one
// breached, one near breach (13 of its 15 reception minutes gone: the to-do
// board shows its warning) and one just opened. Most belong to hw-cust-1001,
// the demo buyer's customer id.
//
// Invoices at Acme: finance issued ORD-ACME-0005's invoice before its
// unsubscribe, which flagged it 需退票; ORD-ACME-0001's line went through a
// rejected, a revoked and a returned (红字确认) invoice and a re-issued pending
// request; ORD-ACME-0002's is issued, ORD-ACME-0008's returning, and the
// demo buyer's ORD-ACME-0003 pending (ORD-ACME-0006 stays free for the
// buyer's request form). Each merchant has the settlement statement of the
// current month on the app clock, paid, and Acme's finance one platform-fee invoice request over Acme's.
//
// Demo databases stay demo databases: a row in app_settings keeps demo mode
// (private sandbox endpoints allowed) across restarts without -demo.
package demo
