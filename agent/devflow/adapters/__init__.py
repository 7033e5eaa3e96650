# Adapters: the only code that touches network, clock, flash, pixels and pins.
