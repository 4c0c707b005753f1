package web_test

import "github.com/sellercenter/sellercenter/models"

func actorOf(e *env, email string) models.Actor {
	u := e.user(email)
	return models.ActorOf(&u, "127.0.0.1")
}
