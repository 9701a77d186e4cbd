package config

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

type settings struct {
	Addr    string        `env:"ADDR" default:":9090"`
	Timeout time.Duration `env:"TIMEOUT" default:"5s"`
	Debug   bool          `env:"DEBUG"`
	Origins []string      `env:"ORIGINS" default:"http://a, http://b"`
	Inner   struct {
		DBURL string `env:"DB" secret:"true"`
		Token string `env:"TOKEN" secret:"true"`
	}
}

func TestLoadAppliesEnvironmentOverDefaults(t *testing.T) {
	t.Setenv("T_TIMEOUT", "250ms")
	t.Setenv("T_DB", "postgres://app:s3cret@db:5432/appeals")
	var s settings
	if err := Load(&s, "T_"); err != nil {
		t.Fatal(err)
	}
	if s.Addr != ":9090" || s.Timeout != 250*time.Millisecond || len(s.Origins) != 2 || s.Origins[1] != "http://b" {
		t.Fatalf("unexpected settings: %+v", s)
	}
	if s.Inner.DBURL == "" {
		t.Fatal("nested field not loaded")
	}
}

func TestLoadNamesTheBadVariable(t *testing.T) {
	t.Setenv("T_TIMEOUT", "five seconds")
	var s settings
	err := Load(&s, "T_")
	if err == nil || !strings.Contains(err.Error(), "T_TIMEOUT") {
		t.Fatalf("want an error naming T_TIMEOUT, got %v", err)
	}
}

func TestLogMasksSecrets(t *testing.T) {
	var s settings
	s.Inner.DBURL = "postgres://app:s3cret@db:5432/appeals"
	s.Inner.Token = "abcdef"
	var buf bytes.Buffer
	Log(slog.New(slog.NewJSONHandler(&buf, nil)), "config", "T_", s)
	out := buf.String()
	if strings.Contains(out, "s3cret") || strings.Contains(out, "abcdef") {
		t.Fatalf("secret leaked: %s", out)
	}
	if !strings.Contains(out, "db:5432/appeals") {
		t.Fatalf("URL host should stay visible: %s", out)
	}
}
