# Board entry point: MicroPython runs this file at boot. It stays source
# (never frozen), so a board can be told to do something else at boot by
# editing one small file; the work is in app.py.
import app

app.main()
