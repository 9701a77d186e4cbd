package devissuer

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"

	"github.com/google/uuid"

	"github.com/cityhall-khv/cityhall/services/platform/auth"
)

// User is a development account. Passwords are plain text: this issuer is
// for local runs and tests only.
type User struct {
	Login      string   `json:"login"`
	Password   string   `json:"password"`
	Name       string   `json:"name"`
	Department string   `json:"department"`
	Official   string   `json:"official,omitempty"` // the official's id in the organisation directory
	Roles      []string `json:"roles"`
}

// subject is the stable "sub" of a user. It is a UUID derived from the login
// (like Keycloak's ids), so code that confuses sub with login fails in tests.
func (u User) subject() string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("urn:cityhall:dev-user:"+u.Login)).String()
}

//go:embed users.json
var defaultUsersJSON []byte

// DefaultUsers returns the built-in demo accounts (password "demo").
func DefaultUsers() []User {
	users, err := parseUsers(defaultUsersJSON)
	if err != nil {
		panic("devissuer: embedded users.json: " + err.Error())
	}
	return users
}

// LoadUsers reads a JSON array of users from path.
func LoadUsers(path string) ([]User, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("devissuer: %w", err)
	}
	users, err := parseUsers(data)
	if err != nil {
		return nil, fmt.Errorf("devissuer: %s: %w", path, err)
	}
	return users, nil
}

func parseUsers(data []byte) ([]User, error) {
	var users []User
	if err := json.Unmarshal(data, &users); err != nil {
		return nil, err
	}
	return users, validateUsers(users)
}

// validateUsers catches typos in a users file early: a misspelt role would
// otherwise be silently dropped by the verifier.
func validateUsers(users []User) error {
	seen := map[string]bool{}
	for i, u := range users {
		if u.Login == "" || u.Password == "" {
			return fmt.Errorf("user #%d: login and password are required", i+1)
		}
		if seen[u.Login] {
			return fmt.Errorf("user %q listed twice", u.Login)
		}
		seen[u.Login] = true
		for _, r := range u.Roles {
			if !auth.Role(r).Known() {
				return fmt.Errorf("user %q: unknown role %q", u.Login, r)
			}
		}
	}
	return nil
}
