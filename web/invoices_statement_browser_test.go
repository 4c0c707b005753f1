package web_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// Finance opens a statement from the platform tab, pages through its
// lines and asks for its export.
func TestBrowserFinanceReadsAndExportsAStatement(t *testing.T) {
	b := newBrowser(t)
	a, st := newStatementEnv(t)
	b.login(t, a.srv.URL, "finance@acme.test")
	b.do(t,
		chromedp.Navigate(a.srv.URL+"/invoices?tab=platform"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-testid="statement-row"][data-id="%d"] [data-testid="statement-link"]`, st.ID))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`[data-testid="statement-detail"][data-id="%d"]`, st.ID))),
		chromedp.Click(tid("statement-lines-next")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="statement-line"][data-line="PL-c-stmt-55-1"]`)),
	)
	b.shot(t, "statement-lines")
	b.do(t,
		chromedp.Click(tid("export-submit")),
		chromedp.WaitVisible(tid("exports-table")),
	)
	if n := a.count("exports", "kind = 'statement' AND query = ?", fmt.Sprintf("statement=%d", st.ID)); n != 1 {
		t.Fatalf("%d statement exports", n)
	}
}
