// Package config fills a service's settings from environment variables and prints them.
//
// A settings struct declares each variable in its field tags:
//
//	Addr   string `env:"GRPC_ADDR" default:":9090" desc:"gRPC listen address"`
//	DBURL  string `env:"DATABASE_URL" secret:"true" desc:"PostgreSQL URL"`
//
// Every name gets the caller's prefix ("APPEALS_" makes APPEALS_GRPC_ADDR), so that several
// services can run in one process with their own settings. Nested structs are walked. Supported kinds: string, bool, ints, time.Duration, []string (comma-separated).
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"
)

var durationType = reflect.TypeFor[time.Duration]()

// Load sets every tagged field that is still zero from its variable, or from its default.
// Fields already set by the caller win over defaults but not over the environment.
func Load(dst any, prefix string) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return errors.New("config: Load needs a pointer to a struct")
	}
	var errs []error
	walk(v.Elem(), func(f reflect.StructField, fv reflect.Value) {
		raw, set := os.LookupEnv(prefix + f.Tag.Get("env"))
		if !set {
			if !fv.IsZero() {
				return
			}
			raw, set = f.Tag.Lookup("default")
			if !set {
				return
			}
		}
		if err := assign(fv, raw); err != nil {
			errs = append(errs, fmt.Errorf("config: %s%s=%q: %w", prefix, f.Tag.Get("env"), raw, err))
		}
	})
	return errors.Join(errs...)
}

// Log writes the settings at info level, one attribute per variable, secrets masked.
func Log(logger *slog.Logger, msg, prefix string, cfg any) {
	var attrs []any
	walk(reflect.Indirect(reflect.ValueOf(cfg)), func(f reflect.StructField, fv reflect.Value) {
		attrs = append(attrs, slog.String(prefix+f.Tag.Get("env"), display(f, fv)))
	})
	logger.Info(msg, attrs...)
}

// Describe lists the variables with their defaults and descriptions, for documentation and --help.
func Describe(cfg any, prefix string) [][3]string {
	var rows [][3]string
	walk(reflect.Indirect(reflect.ValueOf(cfg)), func(f reflect.StructField, _ reflect.Value) {
		rows = append(rows, [3]string{prefix + f.Tag.Get("env"), f.Tag.Get("default"), f.Tag.Get("desc")})
	})
	return rows
}

func walk(v reflect.Value, fn func(reflect.StructField, reflect.Value)) {
	t := v.Type()
	for i := range t.NumField() {
		f, fv := t.Field(i), v.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Type.Kind() == reflect.Struct && f.Type != durationType && f.Tag.Get("env") == "" {
			walk(fv, fn)
			continue
		}
		if f.Tag.Get("env") != "" {
			fn(f, fv)
		}
	}
}

func assign(fv reflect.Value, raw string) error {
	switch {
	case fv.Type() == durationType:
		d, err := time.ParseDuration(raw)
		if err != nil {
			return err
		}
		fv.SetInt(int64(d))
	case fv.Kind() == reflect.String:
		fv.SetString(raw)
	case fv.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return err
		}
		fv.SetBool(b)
	case fv.CanInt():
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return err
		}
		fv.SetInt(n)
	case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String:
		var items []string
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				items = append(items, s)
			}
		}
		fv.Set(reflect.ValueOf(items))
	default:
		return fmt.Errorf("unsupported field type %s", fv.Type())
	}
	return nil
}

func display(f reflect.StructField, fv reflect.Value) string {
	s := fmt.Sprint(fv.Interface())
	if fv.Kind() == reflect.Slice {
		s = strings.Trim(s, "[]")
	}
	if s == "" {
		return ""
	}
	if f.Tag.Get("secret") == "true" {
		return Mask(s)
	}
	return s
}

// Mask hides a secret; for a URL it keeps everything but the password, so operators can still
// see which server and database a service talks to.
func Mask(s string) string {
	if u, err := url.Parse(s); err == nil && u.Scheme != "" && u.Host != "" {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			return strings.Replace(u.String(), "xxxxx", "*****", 1)
		}
		return u.String()
	}
	return "*****"
}
