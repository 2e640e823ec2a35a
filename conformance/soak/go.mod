module soak

go 1.19
