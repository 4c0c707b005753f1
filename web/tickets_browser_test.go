package web_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The whole first-response story in a browser: a ticket near breach shows
// its warning on the to-do board (counting down by itself), the staff
// member opens it from there, replies, and the clock stops — it leaves the
// board.
func TestBrowserTicketNearBreachWarnsOnTheBoardAndAReplyStopsIt(t *testing.T) {
	b := newBrowser(t)
	e := newTicketEnv(t)
	e.ticket("TK-NEAR", 13*time.Minute) // 2 of its 15 minutes left: warning
	nearClock := `[data-testid="todo-clock"][data-ref="TK-NEAR"]`
	b.do(t,
		chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.WaitVisible(tid("login-form")),
		chromedp.SendKeys(tid("login-email"), "staff@acme.test"),
		chromedp.SendKeys(tid("login-password"), "demo-pass-123"),
		chromedp.Click(tid("login-submit")),
		chromedp.WaitVisible(tid("todo-board")),
		chromedp.WaitVisible(chromedp.CSS(nearClock+`[data-status="warning"]`)),
	)
	b.shot(t, "board-warning")
	if got := b.text(t, nearClock+` [data-testid="clock-label"]`); got != "即将超时" {
		t.Fatalf("board label %q", got)
	}
	left := func() int {
		s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](
			`document.querySelector('`+nearClock+` [data-testid="clock"]').getAttribute("data-left")`))
		if err != nil {
			t.Fatal(err)
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("data-left %q", s)
		}
		return n
	}
	// Reception is open (Monday 10:00 in Shanghai): the clock ticks between
	// server refreshes.
	first := left()
	if first > 120 || first < 100 {
		t.Fatalf("left %d s, want about 120", first)
	}
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`parseInt(document.querySelector('`+nearClock+
		` [data-testid="clock"]').getAttribute("data-left"), 10) < `+strconv.Itoa(first), chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("the board's clock does not tick: %v", err)
	}
	if txt := b.text(t, nearClock+` [data-testid="clock-left"]`); !strings.HasPrefix(txt, "剩余 1 分") {
		t.Fatalf("ticking text %q", txt)
	}

	b.do(t,
		chromedp.Click(chromedp.CSS(nearClock+` [data-testid="todo-clock-link"]`)),
		chromedp.WaitVisible(tid("reply-form")),
		chromedp.SendKeys(tid("reply-body"), "您好，已为您重置密码，请重新登录。"),
		chromedp.Click(tid("reply-submit")),
		chromedp.WaitVisible(tid("flash")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="ticket-clock"] [data-testid="clock"][data-status="met"]`)),
	)
	b.shot(t, "replied")
	if got := b.text(t, `[data-testid="ticket-clock"] [data-testid="clock-label"]`); got != "已按时响应" {
		t.Fatalf("after the reply the clock shows %q", got)
	}
	b.do(t,
		chromedp.Navigate(e.srv.URL+"/"),
		chromedp.WaitVisible(tid("todo-board")),
		chromedp.WaitNotPresent(chromedp.CSS(nearClock)),
	)
	if n := e.count("ticket_events", "kind = 'responded'"); n != 1 {
		t.Fatalf("%d responses recorded", n)
	}
}
