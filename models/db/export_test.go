package db

// GroupQueued is how many parts wait for the Group's next commit (tests).
func GroupQueued(g *Group) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.queue)
}
