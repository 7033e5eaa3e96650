# Boot: see app.main.
import app

app.main()
