// Package overview assembles the 总览 page: the to-do counters of each area
// the viewer may act on, and the live clocks of what is about to be late.
//
// The to-do board is a registry of counters: each area adds its own (the
// list is built in models/app), so the board shows "暂无待办事项" when no area
// has anything for the viewer.
package overview
