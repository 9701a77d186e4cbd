// Command appeals runs the citizens' appeals service.
//
//	appeals           serve (settings from APPEALS_* variables)
//	appeals migrate   apply the schema and reference data, then exit
package main

import "github.com/cityhall-khv/cityhall/services/appeals"

func main() { appeals.Main() }
