module github.com/cityhall-khv/cityhall/cmd/cityhall

go 1.26.0
