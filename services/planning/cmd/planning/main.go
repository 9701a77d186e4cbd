// Command planning runs the planning service (with the organisation directory).
//
//	planning           serve (settings from PLANNING_* variables)
//	planning migrate   apply the schema and seed an empty directory, then exit
package main

import "github.com/cityhall-khv/cityhall/services/planning"

func main() { planning.Main() }
