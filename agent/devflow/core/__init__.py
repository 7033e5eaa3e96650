# The sans-I/O core: no sockets, no clocks, no flash, no pixels.
