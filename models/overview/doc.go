// Package overview assembles the 总览 page: the to-do counters of each area
// the viewer may act on, and the live clocks of what is about to be late.
//
// The to-do board is a registry of counters: each area adds its own (the
// list is built in models/app), so the board shows "暂无待办事项" when no area
// has anything for the viewer.
//
// Owners and finance (overview.figures) also get figures: order lines and
// amounts today and this month, a 30-day trend, the provisioning success
// rate of those days' lines, and the invoices' money (issued this month,
// 待开票, 需退票, from models/invoices). Days are the reader's: the order
// figures sum migration 00015's hourly rollup (order_totals_time, UTC
// hours) into local days, at most 62 × 24 rows whatever the history, exact
// in every zone with a whole-hour offset. The success rate counts the
// window's lines per final status through order_lines_list_status:
// completed, supervising or unsubscribed against 开通失败 (which includes
// auto-unsubscribed creates); lines still processing are left out.
package overview
