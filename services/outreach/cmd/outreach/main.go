// Command outreach runs the outreach service (information meetings with residents).
//
//	outreach           serve (settings from OUTREACH_* variables)
//	outreach migrate   apply the schema and load the classifier, then exit
package main

import "github.com/cityhall-khv/cityhall/services/outreach"

func main() { outreach.Main() }
