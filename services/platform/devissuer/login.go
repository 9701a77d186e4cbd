package devissuer

import (
	"errors"
	"html/template"
	"net/http"

	"github.com/zitadel/oidc/v3/pkg/op"
)

var loginTmpl = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Вход — Cityhall (разработка)</title>
<style>body{font-family:sans-serif;max-width:22rem;margin:4rem auto}label,input,button{display:block;width:100%;margin:.3rem 0}
input,button{padding:.5rem;box-sizing:border-box}.err{color:#b00020}</style></head>
<body><h1>Вход</h1><p>Администрация города Хабаровска</p>
{{if .Error}}<p class="err" role="alert">{{.Error}}</p>{{end}}
<form method="post">
<input type="hidden" name="id" value="{{.ID}}">
<label for="login">Логин</label><input id="login" name="login" value="{{.Login}}" autocomplete="username" required autofocus>
<label for="password">Пароль</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Войти</button>
</form></body></html>`))

type loginPage struct{ ID, Login, Error string }

func renderLogin(w http.ResponseWriter, status int, p loginPage) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = loginTmpl.Execute(w, p)
}

// loginForm is where the provider sends the browser (Client.LoginURL).
func (i *Issuer) loginForm(w http.ResponseWriter, r *http.Request) {
	renderLogin(w, http.StatusOK, loginPage{ID: r.URL.Query().Get("authRequestID")})
}

// loginSubmit checks the password and hands the auth request back to the
// provider, which redirects to the client with a code.
func (i *Issuer) loginSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		renderLogin(w, http.StatusBadRequest, loginPage{Error: "Некорректный запрос"})
		return
	}
	p := loginPage{ID: r.PostForm.Get("id"), Login: r.PostForm.Get("login")}
	err := i.st.checkLogin(p.ID, p.Login, r.PostForm.Get("password"))
	switch {
	case errors.Is(err, ErrInvalidCredentials):
		p.Error = "Неверный логин или пароль"
		renderLogin(w, http.StatusUnauthorized, p)
		return
	case err != nil:
		p.Error = "Сеанс входа устарел. Вернитесь в приложение и начните вход заново."
		renderLogin(w, http.StatusBadRequest, p)
		return
	}
	http.Redirect(w, r, op.AuthCallbackURL(i.provider)(r.Context(), p.ID), http.StatusFound)
}

func loggedOut(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(`<!doctype html><html lang="ru"><meta charset="utf-8"><title>Выход</title><p>Вы вышли из системы.</p></html>`))
}
