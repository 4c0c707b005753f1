package tickets

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

func validInput() Input {
	return Input{TicketID: "TK-1", ProductID: "00301-100001-0--0", CustomerID: "c-1001", CustomerName: "张三科技",
		Title: "无法登录", Content: "登录时提示密码错误。"}
}

func TestAcceptRefusesBadInputAndStoresNothing(t *testing.T) {
	e := newTEnv(t, Config{})
	now := e.clock.Now()
	cases := map[string]struct {
		edit  func(*Input)
		field string
	}{
		"no ticket id":           {func(in *Input) { in.TicketID = "" }, "ticketId"},
		"bad ticket id":          {func(in *Input) { in.TicketID = "工单 1" }, "ticketId"},
		"unknown product":        {func(in *Input) { in.ProductID = "00399-1-0--0" }, "productId"},
		"no customer":            {func(in *Input) { in.CustomerID = "" }, "customerId"},
		"name too long":          {func(in *Input) { in.CustomerName = strings.Repeat("名", 65) }, "customerName"},
		"blank title":            {func(in *Input) { in.Title = "   " }, "title"},
		"title on two lines":     {func(in *Input) { in.Title = "a\nb" }, "title"},
		"content too long":       {func(in *Input) { in.Content = strings.Repeat("x", models.TicketContentMax+1) }, "content"},
		"NUL in content":         {func(in *Input) { in.Content = "a\x00b" }, "content"},
		"future createTime":      {func(in *Input) { in.CreateTime = now.Add(time.Second) }, "createTime"},
		"8 days old":             {func(in *Input) { in.CreateTime = now.Add(-MaxAge - time.Second) }, "createTime"},
		"merchant not receiving": {func(in *Input) { in.ProductID = "00302-200001-0--0" }, "productId"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			in := validInput()
			c.edit(&in)
			_, _, err := e.svc.Accept(context.Background(), in)
			var v *models.ValidationError
			if !errors.As(err, &v) || v.Fields[c.field].ID == "" {
				t.Fatalf("err %v, want a message on %s", err, c.field)
			}
		})
	}
	if n := e.count("tickets", ""); n != 0 {
		t.Fatalf("%d tickets stored", n)
	}
	if n := e.count("buyers", ""); n != 0 {
		t.Fatalf("%d buyers stored", n)
	}
	// Exactly 7 days old is still accepted.
	in := validInput()
	in.CreateTime = now.Add(-MaxAge)
	if _, created, err := e.svc.Accept(context.Background(), in); err != nil || !created {
		t.Fatalf("7 days old: %v", err)
	}
}

func TestAcceptIsIdempotentByTicketID(t *testing.T) {
	e := newTEnv(t, Config{})
	ctx := context.Background()
	v1, created, err := e.svc.Accept(ctx, validInput())
	if err != nil || !created {
		t.Fatal(created, err)
	}
	if v1.FirstResponseDueAt == nil || !v1.FirstResponseDueAt.Equal(sh(0, 10, 15, 0)) || v1.Status != models.TicketPending ||
		v1.CustomerName != "张三科技" || v1.ProductID != "00301-100001-0--0" || v1.FirstResponseDueAt.Location() != time.UTC {
		t.Fatalf("view %+v", v1)
	}
	e.clock.Advance(time.Minute)
	v2, created, err := e.svc.Accept(ctx, validInput())
	if err != nil || created || v2.TicketID != v1.TicketID || !v2.CreateTime.Equal(v1.CreateTime) ||
		!v2.FirstResponseDueAt.Equal(*v1.FirstResponseDueAt) {
		t.Fatalf("repeat: created=%v %v %+v", created, err, v2)
	}
	changed := validInput()
	changed.Title = "别的问题"
	var ce *models.ConflictError
	if _, _, err := e.svc.Accept(ctx, changed); !errors.As(err, &ce) {
		t.Fatalf("same id, other content: %v", err)
	}
	if n := e.count("tickets", ""); n != 1 {
		t.Fatalf("%d tickets", n)
	}
	if got, err := e.svc.Get(ctx, "TK-1"); err != nil || got.Title != "无法登录" {
		t.Fatalf("get: %v %+v", err, got)
	}
	if _, err := e.svc.Get(ctx, "TK-404"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("unknown: %v", err)
	}
}

func TestAnotherMerchantsTicketIsNotFound(t *testing.T) {
	e := newTEnv(t, Config{})
	ctx := context.Background()
	tk := e.open("TK-1", time.Time{})
	if err := e.svc.Reply(ctx, e.owner, tk.ID, ReplyInput{Kind: models.TicketMsgReply, Body: "hi",
		Files: []Upload{{Name: "a.txt", R: strings.NewReader("hello")}}}); err != nil {
		t.Fatal(err)
	}
	var att models.TicketAttachment
	if err := e.db.Gorm.Take(&att).Error; err != nil {
		t.Fatal(err)
	}
	before := e.count("ticket_messages", "")
	checks := map[string]error{
		"detail": func() error { _, err := e.svc.Detail(ctx, e.other, tk.ID); return err }(),
		"reply":  e.svc.Reply(ctx, e.other, tk.ID, ReplyInput{Kind: models.TicketMsgNote, Body: "x"}),
		"act":    e.svc.Act(ctx, e.other, tk.ID, models.TicketStart),
		"assign": e.svc.Assign(ctx, e.other, tk.ID, 0),
		"file":   func() error { _, _, err := e.svc.OpenAttachment(ctx, e.other, tk.ID, att.ID); return err }(),
	}
	for name, err := range checks {
		if !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%s: %v, want not found", name, err)
		}
	}
	if p, err := e.svc.List(ctx, e.other, Filter{}); err != nil || len(p.Rows) != 0 {
		t.Fatalf("globex lists %d tickets (%v)", len(p.Rows), err)
	}
	// Another buyer neither.
	if _, err := e.acc.AddUser(ctx, models.SystemActor("test"), "", accountsBuyer("buyer@c2.test", "c-2")); err != nil {
		t.Fatal(err)
	}
	stranger := e.actor("buyer@c2.test")
	if _, err := e.svc.BuyerDetail(ctx, stranger, tk.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("stranger sees it: %v", err)
	}
	if err := e.svc.BuyerAct(ctx, stranger, tk.ID, models.TicketRevoke); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("stranger revokes: %v", err)
	}
	if p, err := e.svc.BuyerList(ctx, stranger, Filter{}); err != nil || len(p.Rows) != 0 {
		t.Fatalf("stranger lists %d", len(p.Rows))
	}
	// Staff of another area may not touch tickets at all.
	if _, err := e.svc.List(ctx, e.actor("finance@acme.test"), Filter{}); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("finance: %v", err)
	}
	if e.count("ticket_messages", "") != before || e.ticket("TK-1").State != models.TicketProcessing {
		t.Fatal("a refused call changed something")
	}
}

func TestRepliesToClosedTicketsAreRefused(t *testing.T) {
	e := newTEnv(t, Config{})
	ctx := context.Background()
	tk := e.open("TK-1", time.Time{})
	if err := e.svc.BuyerAct(ctx, e.buyer, tk.ID, models.TicketRevoke); err != nil {
		t.Fatal(err)
	}
	if tk = e.ticket("TK-1"); tk.State != models.TicketRevoked || tk.NextAlertAt != nil {
		t.Fatalf("revoked: %+v", tk)
	}
	msgs := e.count("ticket_messages", "")
	err := e.svc.Reply(ctx, e.staff, tk.ID, ReplyInput{Kind: models.TicketMsgReply, Body: "您好",
		Files: []Upload{{Name: "a.txt", R: strings.NewReader("hello")}}})
	var ce *models.ConflictError
	if !errors.As(err, &ce) || ce.Msg.ID != "tickets.err.closed" {
		t.Fatalf("reply to a revoked ticket: %v", err)
	}
	if err := e.svc.BuyerWrite(ctx, e.buyer, tk.ID, "还在吗", false); !errors.As(err, &ce) {
		t.Fatalf("buyer writes to a revoked ticket: %v", err)
	}
	if err := e.svc.BuyerWrite(ctx, e.buyer, tk.ID, "重新打开", true); !errors.As(err, &ce) {
		t.Fatalf("a revoked ticket reopened: %v", err)
	}
	if err := e.svc.Act(ctx, e.staff, tk.ID, models.TicketStart); !errors.As(err, &ce) {
		t.Fatalf("start on a revoked ticket: %v", err)
	}
	if e.count("ticket_messages", "") != msgs || len(e.files()) != 0 {
		t.Fatal("a refused reply left a message or a file")
	}
	if e.ticket("TK-1").State != models.TicketRevoked {
		t.Fatal("state moved")
	}
	// An internal note stays possible: it is the merchant's own record.
	if err := e.svc.Reply(ctx, e.staff, tk.ID, ReplyInput{Kind: models.TicketMsgNote, Body: "客户已撤销"}); err != nil {
		t.Fatal(err)
	}
}

func TestAttachmentsAreCheckedStoredAndAuthorized(t *testing.T) {
	e := newTEnv(t, Config{MaxAttachment: 1024})
	ctx := context.Background()
	tk := e.open("TK-1", time.Time{})
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 100)...)
	bad := map[string]Upload{
		"over the limit": {Name: "big.txt", R: strings.NewReader(strings.Repeat("a", 1025))},
		"html":           {Name: "page.txt", R: strings.NewReader("<!DOCTYPE html><html><script>alert(1)</script>")},
		"executable":     {Name: "setup.png", R: bytes.NewReader(append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{1}, 60)...))},
		"svg":            {Name: "x.svg", R: strings.NewReader(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>`)},
		"empty":          {Name: "empty.txt", R: strings.NewReader("")},
		// net/http sniffs these as text/plain: the store reads them for markup.
		"svg as png":     {Name: "shot.png", R: strings.NewReader(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)},
		"svg as txt":     {Name: "log.TXT", R: strings.NewReader(`<svg onload="alert(1)"/>`)},
		"uppercase html": {Name: "PAGE.HTML", R: strings.NewReader("hello")},
	}
	for name, u := range bad {
		t.Run(name, func(t *testing.T) {
			// A good file first: a refusal of the second removes both.
			err := e.svc.Reply(ctx, e.staff, tk.ID, ReplyInput{Kind: models.TicketMsgReply, Body: "见附件",
				Files: []Upload{{Name: "ok.png", R: bytes.NewReader(png)}, u}})
			var v *models.ValidationError
			if !errors.As(err, &v) || v.Fields["files"].ID == "" {
				t.Fatalf("err %v", err)
			}
		})
	}
	if e.count("ticket_messages", "") != 0 || e.count("ticket_attachments", "") != 0 || len(e.files()) != 0 ||
		e.ticket("TK-1").FirstResponseAt != nil {
		t.Fatalf("refused uploads left traces: files %v", e.files())
	}
	exact := strings.Repeat("a", 1024)
	err := e.svc.Reply(ctx, e.staff, tk.ID, ReplyInput{Kind: models.TicketMsgNote, Body: "内部排查记录",
		Files: []Upload{{Name: `C:\logs\..\trace "1".txt`, R: strings.NewReader(exact)}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Reply(ctx, e.staff, tk.ID, ReplyInput{Kind: models.TicketMsgReply, Body: "截图如下",
		Files: []Upload{{Name: "shot.png", R: bytes.NewReader(png)}}}); err != nil {
		t.Fatal(err)
	}
	var atts []models.TicketAttachment
	if err := e.db.Gorm.Order("id").Find(&atts).Error; err != nil || len(atts) != 2 {
		t.Fatalf("%d attachments (%v)", len(atts), err)
	}
	note, reply := atts[0], atts[1]
	if note.FileName != "trace 1.txt" || note.ContentType != "text/plain; charset=utf-8" || note.Size != 1024 ||
		reply.ContentType != "image/png" || strings.Contains(note.StorageName, "trace") {
		t.Fatalf("metadata %+v %+v", note, reply)
	}
	a, f, err := e.svc.OpenAttachment(ctx, e.staff, tk.ID, note.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(f)
	f.Close()
	if string(b) != exact || a.ID != note.ID {
		t.Fatal("stored bytes differ")
	}
	// The buyer gets the reply's file, never the internal note's.
	if _, f, err := e.svc.OpenAttachment(ctx, e.buyer, tk.ID, reply.ID); err != nil {
		t.Fatalf("buyer and the reply's file: %v", err)
	} else {
		f.Close()
	}
	if _, _, err := e.svc.OpenAttachment(ctx, e.buyer, tk.ID, note.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("buyer opened a note's file: %v", err)
	}
	d, err := e.svc.BuyerDetail(ctx, e.buyer, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range d.Messages {
		if m.Kind == models.TicketMsgNote {
			t.Fatal("the buyer sees an internal note")
		}
	}
	// More files than allowed in one message.
	many := make([]Upload, MaxFiles+1)
	for i := range many {
		many[i] = Upload{Name: "p.png", R: bytes.NewReader(png)}
	}
	var v *models.ValidationError
	if err := e.svc.Reply(ctx, e.staff, tk.ID, ReplyInput{Kind: models.TicketMsgNote, Body: "x", Files: many}); !errors.As(err, &v) {
		t.Fatalf("too many files: %v", err)
	}
	if len(e.files()) != 2 {
		t.Fatalf("files on disk %v", e.files())
	}
}

func TestAssignOnlyToTicketStaffOfTheMerchant(t *testing.T) {
	e := newTEnv(t, Config{})
	ctx := context.Background()
	tk := e.open("TK-1", time.Time{})
	var v *models.ValidationError
	for _, who := range []models.Actor{e.other, e.actor("finance@acme.test"), e.buyer} {
		if err := e.svc.Assign(ctx, e.owner, tk.ID, who.UserID); !errors.As(err, &v) {
			t.Fatalf("assign to %s: %v", who.Email, err)
		}
	}
	if err := e.svc.Assign(ctx, e.owner, tk.ID, e.staff.UserID); err != nil {
		t.Fatal(err)
	}
	if got := e.ticket("TK-1"); got.AssigneeID == nil || *got.AssigneeID != e.staff.UserID {
		t.Fatal("not assigned")
	}
}

func TestListFiltersByStateAndClock(t *testing.T) {
	e := newTEnv(t, Config{})
	ctx := context.Background()
	e.open("TK-BREACHED", sh(0, 9, 0, 0)) // due 09:15, breached at 10:00
	e.open("TK-WARNING", sh(0, 9, 47, 0)) // warn 09:59, due 10:02
	e.open("TK-RUNNING", time.Time{})
	answered := e.open("TK-MET", time.Time{})
	if err := e.svc.Reply(ctx, e.staff, answered.ID, ReplyInput{Kind: models.TicketMsgReply, Body: "ok"}); err != nil {
		t.Fatal(err)
	}
	want := map[models.ClockStatus]string{models.ClockBreached: "TK-BREACHED", models.ClockWarning: "TK-WARNING", models.ClockRunning: "TK-RUNNING", models.ClockMet: "TK-MET"}
	for c, id := range want {
		p, err := e.svc.List(ctx, e.owner, Filter{Clock: c})
		if err != nil || len(p.Rows) != 1 || p.Rows[0].TicketID != id || p.Rows[0].Clock.Status != c {
			t.Fatalf("clock %s: %v %+v", c, err, p.Rows)
		}
	}
	p, err := e.svc.List(ctx, e.owner, Filter{State: string(models.TicketProcessing)})
	if err != nil || len(p.Rows) != 1 || p.Rows[0].TicketID != "TK-MET" {
		t.Fatalf("processing: %+v", p.Rows)
	}
	w, _ := e.svc.List(ctx, e.owner, Filter{Clock: models.ClockWarning})
	if c := w.Rows[0].Clock; c.Left != 2*time.Minute || !c.Ticking {
		t.Fatalf("warning clock %+v", c)
	}
	if _, v := ParseFilter(map[string][]string{"state": {"lost"}, "clock": {"late!"}}, time.UTC); v == nil || len(v.Fields) != 2 {
		t.Fatalf("bad filter accepted: %v", v)
	}
	// Paging: two per page walks all four, newest first.
	var seen []string
	f := Filter{Limit: 2}
	for {
		p, err := e.svc.List(ctx, e.owner, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Rows {
			seen = append(seen, r.TicketID)
		}
		if p.Next == "" {
			break
		}
		f.BeforeID, _ = strconv.ParseInt(p.Next, 10, 64)
	}
	if strings.Join(seen, ",") != "TK-MET,TK-RUNNING,TK-WARNING,TK-BREACHED" {
		t.Fatalf("pages %v", seen)
	}
}

func TestOverviewClocksShowWhatIsNearBreach(t *testing.T) {
	e := newTEnv(t, Config{})
	ctx := context.Background()
	e.open("TK-RUNNING", time.Time{})
	e.open("TK-WARNING", sh(0, 9, 47, 0))
	answered := e.open("TK-MET", time.Time{})
	if err := e.svc.Reply(ctx, e.staff, answered.ID, ReplyInput{Kind: models.TicketMsgReply, Body: "ok"}); err != nil {
		t.Fatal(err)
	}
	cs, err := e.svc.OverviewClocks(ctx, e.staff)
	if err != nil || len(cs) != 2 {
		t.Fatalf("%d clocks (%v)", len(cs), err)
	}
	if cs[0].Ref != "TK-WARNING" || cs[0].Status != models.ClockWarning || cs[0].Left != 2*time.Minute ||
		cs[1].Ref != "TK-RUNNING" || cs[1].Status != models.ClockRunning || cs[1].Left != 15*time.Minute {
		t.Fatalf("clocks %+v", cs)
	}
	if cs, _ := e.svc.OverviewClocks(ctx, e.other); len(cs) != 0 {
		t.Fatal("globex sees acme's clocks")
	}
	if n, _ := e.svc.OpenCounter(ctx, e.staff); n != 2 {
		t.Fatalf("open counter %d", n)
	}
}

func accountsBuyer(email, customer string) accountsInput {
	return accountsInput{Email: email, Name: "李四", Role: models.RoleBuyer, Password: "buyer-pass-123", CustomerID: customer}
}
