"""The HTTP edge: the FastAPI app (the one composition root), routes, admin, rate limit, audit."""
